package outreach

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"hotline/roster"
	"hotline/storage"
)

// ErrNoYearEnd is returned when no year-end evaluation has run.
var ErrNoYearEnd = errors.New("no year-end evaluation has run")

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

// Goal is the participation the township aims for.
const Goal = 0.8

// Participation is answers / households; ok is false without households.
func (y YearEnd) Participation() (float64, bool) { return ratio(y.Answers, y.Households) }

// LoadYearEnd reads the answers of a year-end run and scores each cadre by
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
	answers, err := tx.RunAnswers(ctx, run.ID)
	if err != nil {
		return y, err
	}
	for _, a := range answers {
		stars, err := strconv.Atoi(a.Answer)
		if err != nil || stars < 1 || stars > 5 {
			continue
		}
		y.Answers++
		if i, ok := byVillage[a.Village]; ok {
			y.Villages[i].Answers++
		}
		for _, c := range r.CadresOf(a.Village) {
			i := byCadre[c.TelegramID]
			y.Cadres[i].Ratings++
			y.Cadres[i].Sum += stars
		}
	}
	return y, nil
}

// LatestYearEnd loads the newest year-end evaluation that ran (not one
// skipped while the service was down) of any yearend campaign in the
// configuration; year, when not 0, limits it to runs whose slot falls in
// that year in the township's time zone. ErrNoYearEnd when there is none.
func (s *Service) LatestYearEnd(ctx context.Context, tx *storage.Tx, year int) (YearEnd, error) {
	var best storage.Run
	for _, c := range s.cfg.Campaigns {
		if c.Kind != KindYearEnd {
			continue
		}
		runs, err := tx.Runs(ctx, c.ID, "", 0)
		if err != nil {
			return YearEnd{}, err
		}
		for _, r := range runs {
			if r.Status == storage.RunSkipped || (year != 0 && r.Slot.In(s.cfg.loc).Year() != year) {
				continue
			}
			if best.ID == 0 || r.Slot.After(best.Slot) {
				best = r
			}
		}
	}
	if best.ID == 0 {
		if year != 0 {
			return YearEnd{}, fmt.Errorf("%w in %d", ErrNoYearEnd, year)
		}
		return YearEnd{}, ErrNoYearEnd
	}
	return LoadYearEnd(ctx, tx, s.roster(), best)
}

// YearEndText is the evaluation result as staff read it on the command
// line: participation per village against its households, villages under
// the goal flagged, and each cadre's average.
func YearEndText(y YearEnd, loc *time.Location) string {
	var b []byte
	line := func(format string, a ...any) { b = fmt.Appendf(b, format+"\n", a...) }
	line("年终评议 %s（%s，运行编号 %d）", y.Run.Slot.In(loc).Format("2006-01-02 15:04"), y.Run.Campaign, y.Run.ID)
	mark := ""
	if p, ok := y.Participation(); ok && p < Goal {
		mark = " ⚠ 未达标"
	}
	line("参与：%d / %d 户 = %s（目标 %.0f%%）%s", y.Answers, y.Households, Pct(y.Participation()), Goal*100, mark)
	line("")
	line("按村参与率（参与户 / 户数）：")
	for _, v := range y.Villages {
		flag := ""
		if v.BelowGoal() {
			flag = "  ⚠ 低于 80%"
		}
		line("  %s（%s）%d / %d = %s%s", v.Name, orNone(v.Area), v.Answers, v.Households, Pct(v.Participation()), flag)
	}
	line("")
	line("包村干部平均分（1–5 分）：")
	for _, c := range y.Cadres {
		line("  %s：%d 户评分，平均 %s", c.Name, c.Ratings, MeanText(c.Mean()))
	}
	return string(b[:len(b)-1])
}
