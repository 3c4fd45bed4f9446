package storage

// Lane is an outbox row's priority. The sender always sends what waits in
// the ticket lane before anything in the campaign lane, within the same
// global and per-chat limits, so that a report is never queued behind a
// broadcast to every household.
type Lane string

// Lanes, in the order the sender serves them.
const (
	// LaneTicket is ticket traffic: receipts, cards, staff actions,
	// notices about a resident's own ticket, emergency replies, answers
	// to what someone just wrote or pressed.
	LaneTicket Lane = "ticket"
	// LaneCampaign is everything sent on the hotline's own initiative:
	// campaigns, broadcasts, signals, digests and lists.
	LaneCampaign Lane = "campaign"
)
