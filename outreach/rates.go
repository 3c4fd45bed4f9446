package outreach

import (
	"time"

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
//     rating.
//
// Deadlines are those in force on the ticket: an escalation or a reopening
// gives the new handler fresh deadlines, and the ticket is judged on them
// (its history keeps the missed one as an "escalated" event). A rate with
// an empty denominator is reported as "—", not as 0 or 100%.
type Rates struct {
	Name           string
	Tickets        int
	AcceptDue      int
	AcceptedOnTime int
	ResolveDue     int
	ResolvedOnTime int
	Ratings        int
	Satisfied      int
	RatingSum      int
}

// Add counts one ticket judged at at.
func (r *Rates) Add(t storage.Ticket, at time.Time) {
	r.Tickets++
	if acc := !t.AcceptedAt.IsZero() && !t.AcceptedAt.After(at); acc || !t.AcceptBy.After(at) {
		r.AcceptDue++
		if acc && !t.AcceptedAt.After(t.AcceptBy) {
			r.AcceptedOnTime++
		}
	}
	if res := !t.ResolvedAt.IsZero() && !t.ResolvedAt.After(at); res || !t.ResolveBy.After(at) {
		r.ResolveDue++
		if res && !t.ResolvedAt.After(t.ResolveBy) {
			r.ResolvedOnTime++
		}
	}
	if t.Rating > 0 {
		r.Ratings++
		r.RatingSum += t.Rating
		if t.Rating >= 4 {
			r.Satisfied++
		}
	}
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
