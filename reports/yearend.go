package reports

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/roster"
	"hotline/storage"
)

// ErrNoYearEnd is returned when no year-end evaluation has run.
var ErrNoYearEnd = errors.New("no year-end evaluation has run")

// Goal is the participation the township aims for.
const Goal = 0.8

// CadreScore is one village cadre's year-end result.
type CadreScore struct {
	Name    string
	Ratings int
	Sum     int
}

// Mean is the cadre's average rating; ok is false without ratings.
func (c CadreScore) Mean() (float64, bool) { return ratio(c.Sum, c.Ratings) }

// VillageTurnout is one village's participation in the evaluation.
type VillageTurnout struct {
	Name, Area string
	Households int // from the roster
	Answers    int // households that rated
}

// Participation is answers / households; ok is false when the roster has
// no household count for the village.
func (v VillageTurnout) Participation() (float64, bool) { return ratio(v.Answers, v.Households) }

// BelowGoal reports a village whose participation is known and under Goal.
func (v VillageTurnout) BelowGoal() bool {
	p, ok := v.Participation()
	return ok && p < Goal
}

// YearEnd is the year-end evaluation result of one run.
type YearEnd struct {
	Run        storage.Run
	Answers    int // households that rated
	Households int // households in the roster
	Villages   []VillageTurnout
	Cadres     []CadreScore // every village cadre of the roster, rated or not
}

// Participation is answers / households; ok is false without households.
func (y YearEnd) Participation() (float64, bool) { return ratio(y.Answers, y.Households) }

// BelowGoal reports a participation that is known and under Goal.
func (y YearEnd) BelowGoal() bool {
	p, ok := y.Participation()
	return ok && p < Goal
}

// LoadYearEnd sums the answers of a year-end run and scores each cadre by
// the ratings of the villages they cover. A resident counts as one
// household (one account per household is the rule the message states).
// Villages and cadres are in roster order.
func LoadYearEnd(ctx context.Context, tx *storage.Tx, r *roster.Roster, run storage.Run) (YearEnd, error) {
	y := YearEnd{Run: run}
	byVillage := map[string]int{}
	for _, v := range r.Villages {
		y.Households += v.Households
		byVillage[v.Name] = len(y.Villages)
		y.Villages = append(y.Villages, VillageTurnout{Name: v.Name, Area: v.Area, Households: v.Households})
	}
	byCadre := map[roster.StaffID]int{}
	for _, st := range r.Staff {
		if st.Role == roster.VillageCadre {
			byCadre[st.TelegramID] = len(y.Cadres)
			y.Cadres = append(y.Cadres, CadreScore{Name: st.Name})
		}
	}
	votes, err := tx.YearEndVotes(ctx, run.ID)
	if err != nil {
		return y, err
	}
	for _, v := range votes {
		y.Answers += v.Answers
		if i, ok := byVillage[v.Village]; ok {
			y.Villages[i].Answers += v.Answers
		}
		for _, c := range r.CadresOf(v.Village) {
			i := byCadre[c.TelegramID]
			y.Cadres[i].Ratings += v.Answers
			y.Cadres[i].Sum += v.Sum
		}
	}
	return y, nil
}

// LatestYearEnd loads the newest year-end evaluation that ran (not one
// skipped while the service was down); year, when not 0, limits it to runs
// whose slot falls in that year in loc. ErrNoYearEnd when there is none.
func LatestYearEnd(ctx context.Context, tx *storage.Tx, r *roster.Roster, year int, loc *time.Location) (YearEnd, error) {
	runs, err := tx.Runs(ctx, storage.RunFilter{Kind: storage.CampaignYearEnd})
	if err != nil {
		return YearEnd{}, err
	}
	var best storage.Run
	for _, run := range runs {
		if run.Status == storage.RunSkipped || (year != 0 && run.Slot.In(loc).Year() != year) {
			continue
		}
		if best.ID == 0 || run.Slot.After(best.Slot) {
			best = run
		}
	}
	if best.ID == 0 {
		if year != 0 {
			return YearEnd{}, fmt.Errorf("%w in %d", ErrNoYearEnd, year)
		}
		return YearEnd{}, ErrNoYearEnd
	}
	return LoadYearEnd(ctx, tx, r, best)
}
