package reports

import (
	"context"
	"time"

	"hotline/storage"
)

// Backlog is the outbound traffic waiting to be sent, as the centre's
// daily digest shows it: overload is said, never silent. Its fields are
// those of the outbox's own measure (the sender's storage.Backlog), so
// that one converts to the other.
type Backlog struct {
	// Pending is how many messages of each lane wait.
	Pending map[storage.Lane]int
	// OldestDue is how long each lane's oldest due message has waited.
	OldestDue map[storage.Lane]time.Duration
	// AheadOfTickets is how long a ticket message queued now would wait
	// for those ahead of it.
	AheadOfTickets time.Duration
}

// BacklogSource measures the backlog at now (the outbox's OutboxBacklog).
type BacklogSource func(ctx context.Context, now time.Time) (Backlog, error)

// Overload is how long ticket traffic may wait before the digest warns:
// a receipt or a card later than this is a delay residents notice.
const Overload = 5 * time.Second

// Overloaded reports whether ticket messages wait longer than Overload.
func (b Backlog) Overloaded() bool { return b.AheadOfTickets > Overload }

// WithBacklog adds the backlog at d's generation time to d.
func WithBacklog(ctx context.Context, d Digest, src BacklogSource) (Digest, error) {
	if src == nil {
		return d, nil
	}
	b, err := src(ctx, d.Generated)
	if err != nil {
		return d, err
	}
	d.Backlog = &b
	return d, nil
}
