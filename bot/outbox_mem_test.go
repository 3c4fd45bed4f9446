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

	failDue, failMark int           // the next n calls fail
	onMark            func(int64)   // called after each MarkSent, outside the lock
	onPart            func(int64)   // called after each MarkPartSent, outside the lock
	changed           chan struct{} // signalled when a row settles
}

type memRow struct {
	msg    storage.OutboxMessage
	nextAt time.Time
	status string
	ids    []int
	reason string
	marks  int
	parts  int // MarkPartSent calls
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

func (o *memOutbox) Due(_ context.Context, now time.Time, limit int) ([]storage.OutboxMessage, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failDue > 0 {
		o.failDue--
		return nil, errMemStore
	}
	var out []storage.OutboxMessage
	for _, r := range o.rows {
		if len(out) == limit {
			break
		}
		if r.status == storage.OutboxPending && !r.nextAt.After(now) {
			m := r.msg
			m.SentParts = slices.Clone(r.ids)
			out = append(out, m)
		}
	}
	return out, nil
}

func (o *memOutbox) NextDue(context.Context) (time.Time, bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var at time.Time
	ok := false
	for _, r := range o.rows {
		if r.status == storage.OutboxPending && (!ok || r.nextAt.Before(at)) {
			at, ok = r.nextAt, true
		}
	}
	return at, ok, nil
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

func (o *memOutbox) MarkSent(_ context.Context, id int64, ids []int, _ time.Time) error {
	o.mu.Lock()
	if o.failMark > 0 {
		o.failMark--
		o.mu.Unlock()
		return errMemStore
	}
	r := o.row(id)
	r.status, r.ids = storage.OutboxSent, slices.Clone(ids)
	r.marks++
	r.msg.Attempts++
	hook := o.onMark
	o.mu.Unlock()
	o.signal()
	if hook != nil {
		hook(id)
	}
	return nil
}

func (o *memOutbox) MarkPartSent(_ context.Context, id int64, ids []int) error {
	o.mu.Lock()
	r := o.row(id)
	if r.status == storage.OutboxPending {
		r.ids = slices.Clone(ids)
		r.parts++
	}
	hook := o.onPart
	o.mu.Unlock()
	if hook != nil {
		hook(id)
	}
	return nil
}

func (o *memOutbox) Retry(_ context.Context, id int64, notBefore time.Time, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	r := o.row(id)
	if r.status == storage.OutboxPending {
		r.msg.Attempts++
		r.nextAt, r.reason = notBefore, reason
	}
	o.retries = append(o.retries, memRetry{id: id, notBefore: notBefore, reason: reason})
	return nil
}

func (o *memOutbox) Fail(_ context.Context, id int64, reason string) error {
	o.mu.Lock()
	r := o.row(id)
	r.status, r.reason = storage.OutboxFailed, reason
	r.msg.Attempts++
	o.mu.Unlock()
	o.signal()
	return nil
}

func (o *memOutbox) Blocked(_ context.Context, chatID int64, now time.Time) error {
	o.mu.Lock()
	o.blocked[chatID] = now
	for _, r := range o.rows {
		if r.msg.ChatID == chatID && r.status == storage.OutboxPending {
			r.status, r.reason = storage.OutboxFailed, "blocked by the user"
		}
	}
	o.mu.Unlock()
	o.signal()
	return nil
}

var _ Outbox = (*memOutbox)(nil)
