package api

import "hotline/reports"

// ScoreStats is the 12345 scorecard in GET /api/v1/stats?score=1: the
// weights in force, the total, the groups of the asked dimension (none
// by category) and the departments.
type ScoreStats struct {
	Weights     Weights        `json:"weights"`
	Total       ScoreFigures   `json:"total"`
	Groups      []ScoreFigures `json:"groups"`
	Departments []ScoreFigures `json:"departments"`
}

// Weights are reports.Weights as the API names them.
type Weights struct {
	Contact      float64 `json:"contact"`
	Response     float64 `json:"response"`
	Resolution   float64 `json:"resolution"`
	Satisfaction float64 `json:"satisfaction"`
	Partly       float64 `json:"partly"` // credit of 部分解决
	Basic        float64 `json:"basic"`  // credit of 基本满意
}

// ScoreFigures are a group's four 12345 rates and score as numbers (null
// without a denominator), and the counts behind them.
type ScoreFigures struct {
	Name               string   `json:"name"`
	Problems           int      `json:"problems"`
	ContactRate        *float64 `json:"contact_rate"`
	ResponseRate       *float64 `json:"response_rate"`
	ResolutionRate     *float64 `json:"resolution_rate"`
	SatisfactionRate   *float64 `json:"satisfaction_rate"`
	Score              *float64 `json:"score"`
	Solved             int      `json:"solved"`
	Partly             int      `json:"partly"`
	Unsolved           int      `json:"unsolved"`
	Reopened           int      `json:"reopened"`
	Overdue            int      `json:"overdue"`
	Ratings            int      `json:"ratings"`
	Satisfied          int      `json:"satisfied"`
	Basic              int      `json:"basic"`
	Dissatisfied       int      `json:"dissatisfied"`
	Promised           int      `json:"promised"`
	PromiseKept        int      `json:"promise_kept"`
	ExtensionsAsked    int      `json:"extensions_asked"`
	ExtensionsApproved int      `json:"extensions_approved"`
	ReturnsAsked       int      `json:"returns_asked"`
	ReturnsApproved    int      `json:"returns_approved"`
	Supervised         int      `json:"supervised"`
	Urged              int      `json:"urged"`
}

func num(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

// ScoreOf is c under w as the API shows it.
func ScoreOf(c reports.Scorecard, w reports.Weights) ScoreFigures {
	return ScoreFigures{Name: c.Name, Problems: c.Problems, ContactRate: num(c.Contact()), ResponseRate: num(c.Response()),
		ResolutionRate: num(c.Resolution(w)), SatisfactionRate: num(c.Satisfaction(w)), Score: num(c.Score(w)),
		Solved: c.Solved, Partly: c.Partly, Unsolved: c.Unsolved, Reopened: c.Reopened, Overdue: c.Overdue,
		Ratings: c.Ratings, Satisfied: c.Satisfied, Basic: c.Basic, Dissatisfied: c.Dissatisfied,
		Promised: c.Promised, PromiseKept: c.PromiseKept, ExtensionsAsked: c.ExtensionsAsked,
		ExtensionsApproved: c.ExtensionsApproved, ReturnsAsked: c.ReturnsAsked, ReturnsApproved: c.ReturnsApproved,
		Supervised: c.Supervised, Urged: c.Urged}
}

// ScoreStatsOf is the scoreboard's figures grouped by d.
func ScoreStatsOf(b reports.Scoreboard, d reports.Dimension) *ScoreStats {
	w := b.Weights
	out := &ScoreStats{Weights: Weights{w.Contact, w.Response, w.Resolution, w.Satisfaction, w.Partly, w.Basic},
		Total: ScoreOf(b.Total, w), Groups: []ScoreFigures{}, Departments: []ScoreFigures{}}
	for _, c := range b.By(d) {
		out.Groups = append(out.Groups, ScoreOf(c, w))
	}
	for _, c := range b.Departments {
		out.Departments = append(out.Departments, ScoreOf(c, w))
	}
	return out
}
