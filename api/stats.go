package api

import (
	"net/http"
	"net/url"
	"time"

	"hotline/notice"
	"hotline/reports"
	"hotline/storage"
	"hotline/tickets"
)

// StatsPeriod is the period of GET /api/v1/stats: PeriodOf with the 30
// days up to now by default.
func StatsPeriod(v url.Values, now time.Time) (reports.Period, error) { return PeriodOf(v, now, 30) }

// PeriodOf reads a from–to range of days (township time, both included) as
// a reports period, by default the days days up to now. A period that
// reaches past now ends now (a ticket created this millisecond included:
// times are stored to the millisecond), so that nothing is judged against
// deadlines that have not come.
func PeriodOf(v url.Values, now time.Time, days int) (reports.Period, error) {
	from, to, err := ParseDates(v.Get(ParamFrom), v.Get(ParamTo))
	if err != nil {
		return reports.Period{}, err
	}
	if end := now.Add(time.Millisecond); to.IsZero() || to.After(end) {
		to = end
	}
	if from.IsZero() {
		l := to.In(notice.Zone)
		from = time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, notice.Zone).AddDate(0, 0, 1-days)
	}
	p, err := reports.Between(from, to)
	if err != nil {
		return p, badRequest("%v", err)
	}
	return p, nil
}

// Stats is the answer of GET /api/v1/stats.
type Stats struct {
	From   time.Time     `json:"from"`
	To     time.Time     `json:"to"`
	By     string        `json:"by"`
	Total  RateFigures   `json:"total"`
	Groups []RateFigures `json:"groups"`
	// Score is the 12345 scorecard, with ?score=1: it reads the period
	// twice, so it is asked for.
	Score *ScoreStats `json:"score,omitempty"`
}

// RateFigures are a group's counts and its three rates as numbers (null
// when nothing was due or rated): other systems sort and chart them.
type RateFigures struct {
	Name           string   `json:"name"`
	Tickets        int      `json:"tickets"`
	AcceptDue      int      `json:"accept_due"`
	AcceptedOnTime int      `json:"accepted_on_time"`
	ResponseRate   *float64 `json:"response_rate"`
	ResolveDue     int      `json:"resolve_due"`
	ResolvedOnTime int      `json:"resolved_on_time"`
	ResolutionRate *float64 `json:"resolution_rate"`
	Ratings        int      `json:"ratings"`
	Satisfied      int      `json:"satisfied"`
	Satisfaction   *float64 `json:"satisfaction_rate"`
	MeanRating     *float64 `json:"mean_rating"`
	Reopened       int      `json:"reopened"`
}

// FiguresOf is r as the API shows it.
func FiguresOf(r reports.Rates) RateFigures {
	return RateFigures{Name: r.Name, Tickets: r.Tickets, AcceptDue: r.AcceptDue, AcceptedOnTime: r.AcceptedOnTime,
		ResponseRate: num(r.Response()), ResolveDue: r.ResolveDue, ResolvedOnTime: r.ResolvedOnTime,
		ResolutionRate: num(r.Resolution()), Ratings: r.Ratings, Satisfied: r.Satisfied,
		Satisfaction: num(r.Satisfaction()), MeanRating: num(r.Mean()), Reopened: r.Reopened}
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request, req request) error {
	q := r.URL.Query()
	p, err := StatsPeriod(q, req.now)
	if err != nil {
		return err
	}
	by := q.Get("by")
	if by == "" {
		by = string(reports.ByVillage)
	}
	d, err := reports.ParseDimension(by)
	if err != nil {
		return badRequest("%v", err)
	}
	score := false
	switch q.Get("score") {
	case "", "0", "false":
	case "1", "true":
		score = true
	default:
		return badRequest("score must be 1 or 0")
	}
	out := Stats{From: local(p.From), To: local(p.To), By: string(d), Groups: []RateFigures{}}
	err = s.cfg.DB.View(req.ctx, func(tx *storage.Tx) error {
		scope := tickets.ScopeOf(req.staff)
		need := d
		if score {
			need = reports.ByHandler // the scorecard lists the handlers, with their misses
		}
		sheet, err := reports.LoadSheetFor(req.ctx, tx, scope, p, need)
		if err != nil {
			return err
		}
		out.Total = FiguresOf(sheet.Total())
		for _, g := range sheet.By(d) {
			out.Groups = append(out.Groups, FiguresOf(g))
		}
		if !score {
			return nil
		}
		if err := tx.AddScores(req.ctx, scope, p.From, p.To, p.To, sheet.Groups); err != nil {
			return err
		}
		out.Score = ScoreStatsOf(sheet.Scoreboard(s.cfg.Weights(), req.a.Roster), d)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
