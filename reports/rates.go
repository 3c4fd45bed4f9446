package reports

import (
	"fmt"

	"hotline/storage"
)

// Rates are the three figures township leaders are ranked on, over the
// tickets created in a period, judged at the period's end (At):
//
//   - Response rate = tickets accepted by their accept deadline / tickets
//     due to be accepted (accepted by At, or whose accept deadline passed
//     by At). A ticket resolved straight away counts as accepted then.
//   - Resolution rate = tickets resolved by their resolve deadline /
//     tickets due to be resolved (resolved by At, or whose resolve deadline
//     passed by At).
//   - Satisfaction rate = ratings of 4 or 5 / all ratings; Mean is the mean
//     rating. Every requester of a problem reported by several rates on
//     their own, and every rating counts; the deadlines are counted once,
//     on the ticket the others were linked to.
//
// A ticket escalated because a handler let its accept (resolve) deadline
// pass is due and late for that deadline, however quickly the next handler
// — who gets fresh deadlines — then acts: otherwise a cadre who never
// accepts anything would vanish from the figures. By village, 片区,
// category and in total, that is all. By handler, each handler is judged
// on the deadlines they held: the current handler on the ticket's
// deadlines in force, and a handler the ticket was escalated away from
// counts it once more, as due and late for the deadline they missed. A
// rate with an empty denominator is reported as "—", not as 0 or 100%.
//
// The counting itself is SQL (storage.TicketGroups); these are its sums.
type Rates struct {
	Name string // the village, 片区, category id or handler; "（未定）" when unknown
	storage.RateCounts
}

// Response is the response rate; ok is false when nothing was due.
func (r Rates) Response() (float64, bool) { return ratio(r.AcceptedOnTime, r.AcceptDue) }

// Resolution is the resolution rate; ok is false when nothing was due.
func (r Rates) Resolution() (float64, bool) { return ratio(r.ResolvedOnTime, r.ResolveDue) }

// Satisfaction is the satisfaction rate; ok is false without ratings.
func (r Rates) Satisfaction() (float64, bool) { return ratio(r.Satisfied, r.Ratings) }

// Mean is the mean rating; ok is false without ratings.
func (r Rates) Mean() (float64, bool) { return ratio(r.RatingSum, r.Ratings) }

func ratio(a, b int) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return float64(a) / float64(b), true
}

// Pct formats a rate as every text rendering shows it (60.0%), or "—"
// when it has no denominator. Renderers format; they never divide.
func Pct(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

// MeanText formats a mean rating (4.29), or "—" without ratings.
func MeanText(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.2f", v)
}

// Unknown names a group whose village, 片区 or handler is not known.
const Unknown = "（未定）"
