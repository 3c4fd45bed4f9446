package bot

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"hotline/storage"
)

// memOutbox is an in-memory Outbox with the semantics of storage.DB, plus
// fault injection and a change signal for tests.
type memOutbox struct {
	mu      sync.Mutex
	rows    []*memRow // id order
	nextID  int64
	blocked map[int64]time.Time
	retries []memRetry
	history storage.SenderHistory
	batches int // Record calls that succeeded

	failPending, failRecord int                     // the next n calls fail
	lose                    bool                    // Record succeeds but keeps nothing, as a crash before the commit
	onMark                  func(int64)             // called after each recorded send, outside the lock
	onPart                  func(int64)             // called after each recorded part, outside the lock
	onRecord                func(storage.SendBatch) // called for every Record that succeeds (lost or not), outside the lock
	changed                 chan struct{}           // signalled when a row settles
}

type memRow struct {
	msg    storage.OutboxMessage
	nextAt time.Time
	status string
	ids    []int
	reason string
	marks  int
	parts  int // recorded parts
}

type memRetry struct {
	id        int64
	notBefore time.Time
	reason    string
}

var errMemStore = errors.New("disk I/O error")

func newMemOutbox() *memOutbox {
	return &memOutbox{blocked: map[int64]time.Time{}, changed: make(chan struct{}, 1)}
}

func (o *memOutbox) add(m storage.OutboxMessage, at time.Time) int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.nextID++
	m.ID = o.nextID
	if m.Method == "" {
		m.Method = "send"
	}
	if m.Lane == "" {
		m.Lane = storage.LaneTicket
	}
	m.CreatedAt = at
	o.rows = append(o.rows, &memRow{msg: m, nextAt: at, status: storage.OutboxPending})
	return m.ID
}

func (o *memOutbox) row(id int64) *memRow {
	i, ok := slices.BinarySearchFunc(o.rows, id, func(r *memRow, id int64) int { return int(r.msg.ID - id) })
	if !ok {
		return nil
	}
	return o.rows[i]
}

// get returns a copy of a row.
func (o *memOutbox) get(id int64) memRow {
	o.mu.Lock()
	defer o.mu.Unlock()
	r := *o.row(id)
	r.ids = slices.Clone(r.ids)
	return r
}

func (o *memOutbox) pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, r := range o.rows {
		if r.status == storage.OutboxPending {
			n++
		}
	}
	return n
}

// waitSettled blocks until no row is pending.
func (o *memOutbox) waitSettled(ctx context.Context) error {
	for o.pending() > 0 {
		select {
		case <-o.changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (o *memOutbox) signal() {
	select {
	case o.changed <- struct{}{}:
	default:
	}
}

func (o *memOutbox) Pending(_ context.Context, lane storage.Lane, after int64, limit int) ([]storage.OutboxMessage, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failPending > 0 {
		o.failPending--
		return nil, errMemStore
	}
	var out []storage.OutboxMessage
	for _, r := range o.rows {
		if len(out) == limit {
			break
		}
		if r.status == storage.OutboxPending && r.msg.Lane == lane && r.msg.ID > after {
			m := r.msg
			m.SentParts = slices.Clone(r.ids)
			m.NotBefore = r.nextAt
			out = append(out, m)
		}
	}
	return out, nil
}

func (o *memOutbox) Head(context.Context) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.nextID, nil
}

func (o *memOutbox) MessageID(_ context.Context, id int64) (int, bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r := o.row(id)
	if r == nil || r.status != storage.OutboxSent || len(r.ids) == 0 {
		return 0, false, nil
	}
	return r.ids[len(r.ids)-1], true, nil
}

func (o *memOutbox) Record(_ context.Context, b storage.SendBatch) error {
	o.mu.Lock()
	if o.failRecord > 0 {
		o.failRecord--
		o.mu.Unlock()
		return errMemStore
	}
	if o.lose {
		hook := o.onRecord
		o.mu.Unlock()
		if hook != nil {
			hook(b)
		}
		return nil
	}
	var marked, parts []int64
	for _, op := range b.Ops {
		switch o.apply(op) {
		case storage.OpSent:
			marked = append(marked, op.ID)
		case storage.OpParts:
			parts = append(parts, op.ID)
		}
	}
	o.history.Sends = append(o.history.Sends, b.Sends...)
	if !b.Forget.IsZero() {
		o.history.Sends = slices.DeleteFunc(o.history.Sends, func(s storage.Send) bool { return s.At.Before(b.Forget) })
	}
	if b.Rate > 0 {
		o.history.Rate = b.Rate
	}
	o.batches++
	onMark, onPart, onRecord := o.onMark, o.onPart, o.onRecord
	o.mu.Unlock()
	o.signal()
	if onRecord != nil {
		onRecord(b)
	}
	for _, id := range parts {
		if onPart != nil {
			onPart(id)
		}
	}
	for _, id := range marked {
		if onMark != nil {
			onMark(id)
		}
	}
	return nil
}

// apply records one outcome; the caller holds o.mu. It returns the kind
// of a change worth a hook, else 0.
func (o *memOutbox) apply(op storage.OutboxOp) storage.OpKind {
	r := o.row(op.ID)
	switch op.Kind {
	case storage.OpParts:
		if r.status == storage.OutboxPending {
			r.ids = slices.Clone(op.TelegramIDs)
			r.parts++
			return storage.OpParts
		}
	case storage.OpSent:
		r.status, r.ids = storage.OutboxSent, slices.Clone(op.TelegramIDs)
		r.marks++
		r.msg.Attempts++
		return storage.OpSent
	case storage.OpRetry:
		if r.status == storage.OutboxPending {
			r.msg.Attempts++
			r.nextAt, r.reason = op.At, op.Reason
		}
		o.retries = append(o.retries, memRetry{id: op.ID, notBefore: op.At, reason: op.Reason})
	case storage.OpFail:
		r.status, r.reason = storage.OutboxFailed, op.Reason
		r.msg.Attempts++
	case storage.OpBlocked:
		o.blocked[op.ChatID] = op.At
		for _, r := range o.rows {
			if r.msg.ChatID == op.ChatID && r.status == storage.OutboxPending {
				r.status, r.reason = storage.OutboxFailed, "blocked by the user"
			}
		}
	}
	return 0
}

func (o *memOutbox) SenderHistory(_ context.Context, since time.Time) (storage.SenderHistory, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	h := storage.SenderHistory{Rate: o.history.Rate}
	for _, s := range o.history.Sends {
		if !s.At.Before(since) {
			h.Sends = append(h.Sends, s)
		}
	}
	return h, nil
}

var _ Outbox = (*memOutbox)(nil)
