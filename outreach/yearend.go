package outreach

import (
	"context"
	"sort"
	"strconv"

	"hotline/roster"
	"hotline/storage"
)

// CadreScore is one village cadre's year-end result.
type CadreScore struct {
	Name    string
	Ratings int
	Sum     int
}

// Mean is the cadre's average rating; ok is false without ratings.
func (c CadreScore) Mean() (float64, bool) { return ratio(c.Sum, c.Ratings) }

// YearEnd is the year-end evaluation result of one run.
type YearEnd struct {
	Run        storage.Run
	Answers    int // households that rated
	Households int // households in the roster
	Cadres     []CadreScore
}

// Goal is the participation the township aims for.
const Goal = 0.8

// Participation is answers / households; ok is false without households.
func (y YearEnd) Participation() (float64, bool) { return ratio(y.Answers, y.Households) }

// LoadYearEnd reads the answers of a year-end run and scores each cadre by
// the ratings of the villages they cover. A resident counts as one
// household (one account per household is the rule the message states).
func LoadYearEnd(ctx context.Context, tx *storage.Tx, r *roster.Roster, run storage.Run) (YearEnd, error) {
	y := YearEnd{Run: run}
	for _, v := range r.Villages {
		y.Households += v.Households
	}
	answers, err := tx.RunAnswers(ctx, run.ID)
	if err != nil {
		return y, err
	}
	by := map[int64]*CadreScore{}
	for _, a := range answers {
		stars, err := strconv.Atoi(a.Answer)
		if err != nil || stars < 1 || stars > 5 {
			continue
		}
		y.Answers++
		for _, c := range r.CadresOf(a.Village) {
			if by[c.TelegramID] == nil {
				by[c.TelegramID] = &CadreScore{Name: c.Name}
			}
			by[c.TelegramID].Ratings++
			by[c.TelegramID].Sum += stars
		}
	}
	for _, c := range by {
		y.Cadres = append(y.Cadres, *c)
	}
	sort.Slice(y.Cadres, func(i, j int) bool { return y.Cadres[i].Name < y.Cadres[j].Name })
	return y, nil
}
