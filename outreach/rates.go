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
// A ticket escalated because a handler let its accept (resolve) deadline
// pass is due and late for that deadline, however quickly the next handler
// — who gets fresh deadlines — then acts: otherwise a cadre who never
// accepts anything would vanish from the figures. By village, 片区 and in
// total, that is all. By handler, each handler is judged on the deadlines
// they held: the current handler on the ticket's deadlines in force, and
// a handler the ticket was escalated away from counts it once more, as due
// and late for the deadline they missed. A rate with an empty denominator
// is reported as "—", not as 0 or 100%.
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

// Missed says which deadlines of a ticket an earlier handler let pass.
type Missed struct{ Accept, Resolve bool }

// Add counts one ticket judged at at; m are the deadlines missed before
// the ones in force (zero when judging the current handler alone).
func (r *Rates) Add(t storage.Ticket, at time.Time, m Missed) {
	r.Tickets++
	if acc := !t.AcceptedAt.IsZero() && !t.AcceptedAt.After(at); m.Accept || acc || !t.AcceptBy.After(at) {
		r.AcceptDue++
		if !m.Accept && acc && !t.AcceptedAt.After(t.AcceptBy) {
			r.AcceptedOnTime++
		}
	}
	if res := !t.ResolvedAt.IsZero() && !t.ResolvedAt.After(at); m.Resolve || res || !t.ResolveBy.After(at) {
		r.ResolveDue++
		if !m.Resolve && res && !t.ResolvedAt.After(t.ResolveBy) {
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

// AddMiss counts a ticket escalated away from this handler because they
// let its accept or resolve deadline pass: due, and late.
func (r *Rates) AddMiss(deadline string) {
	r.Tickets++
	if deadline == "accept" {
		r.AcceptDue++
	} else {
		r.ResolveDue++
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
