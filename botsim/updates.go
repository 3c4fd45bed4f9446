package botsim

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// queued is an update waiting for the bot. A forced one is a redelivery: it
// goes out once whatever the offset says.
type queued struct {
	upd    wireUpdate
	forced bool
}

// updateQueue holds unconfirmed updates. getUpdates confirms everything
// below its offset, as Telegram does; a webhook confirms on a 2xx answer.
type updateQueue struct {
	next    int64
	pending []queued
	sent    map[int64]wireUpdate // every update ever published, for Redeliver
	signal  chan struct{}        // closed and replaced when an update arrives
	poll    chan struct{}        // closed to end the running long poll
	allowed map[string]bool      // nil: every type
}

func (q *updateQueue) init(first int64) {
	q.next = first
	q.sent = map[int64]wireUpdate{}
	q.signal = make(chan struct{})
}

func (q *updateQueue) publish(u wireUpdate, forced bool) {
	q.pending = append(q.pending, queued{upd: u, forced: forced})
	q.wake()
}

// wake tells everyone waiting on the queue to look again.
func (q *updateQueue) wake() {
	close(q.signal)
	q.signal = make(chan struct{})
}

// remove takes a delivered update out of the queue.
func (q *updateQueue) remove(e queued) {
	for i, p := range q.pending {
		if p.upd.UpdateID == e.upd.UpdateID && p.forced == e.forced {
			q.pending = append(q.pending[:i:i], q.pending[i+1:]...)
			return
		}
	}
}

func (q *updateQueue) abortPoll() {
	if q.poll != nil {
		close(q.poll)
		q.poll = nil
	}
}

func (q *updateQueue) allows(u wireUpdate) bool {
	return q.allowed == nil || q.allowed[u.kind()]
}

// confirm forgets the updates below a positive offset, or all but the last
// -offset ones for a negative offset.
func (q *updateQueue) confirm(offset int64) {
	switch {
	case offset > 0:
		keep := q.pending[:0:0]
		for _, e := range q.pending {
			if e.forced || e.upd.UpdateID >= offset {
				keep = append(keep, e)
			}
		}
		q.pending = keep
	case offset < 0 && int64(len(q.pending)) > -offset:
		q.pending = append(q.pending[:0:0], q.pending[int64(len(q.pending))+offset:]...)
	}
}

// take returns up to limit updates: redeliveries first (they leave the queue
// now, so that the client's next offset moves past the regular ones), then
// the regular ones in order. Updates of types the bot did not ask for are
// dropped, as Telegram does.
func (q *updateQueue) take(limit int) []wireUpdate {
	out := []wireUpdate{}
	var regular []wireUpdate
	keep := q.pending[:0:0]
	for _, e := range q.pending {
		switch {
		case !q.allows(e.upd):
			// dropped
		case e.forced && len(out) < limit:
			out = append(out, e.upd)
		default:
			keep = append(keep, e)
			if !e.forced {
				regular = append(regular, e.upd)
			}
		}
	}
	q.pending = keep
	for _, u := range regular {
		if len(out) >= limit {
			break
		}
		out = append(out, u)
	}
	return out
}

var errWebhookActive = &apiError{Code: http.StatusConflict, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}

var errPollConflict = &apiError{Code: http.StatusConflict, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}

// getUpdates long-polls: it waits on the queue's signal channel, the request
// context and the timeout; it never spins. A newer getUpdates ends an older
// one with 409, like Telegram.
func (s *Server) getUpdates(ctx context.Context, p params) (any, *apiError) {
	offset, _ := p.int("offset")
	limit := 100
	if l, ok := p.int("limit"); ok && l >= 1 && l <= 100 {
		limit = int(l)
	}
	timeout, _ := p.int("timeout")
	var allowed map[string]bool
	raw, setAllowed := p["allowed_updates"]
	if setAllowed {
		var kinds []string
		if err := json.Unmarshal([]byte(raw), &kinds); err != nil {
			return nil, badRequest("can't parse allowed updates JSON array")
		}
		if len(kinds) > 0 {
			allowed = map[string]bool{}
			for _, k := range kinds {
				allowed[k] = true
			}
		}
	}

	s.mu.Lock()
	if s.hook != nil {
		s.mu.Unlock()
		return nil, errWebhookActive
	}
	if setAllowed {
		s.updates.allowed = allowed
	}
	s.updates.abortPoll()
	mine := make(chan struct{})
	s.updates.poll = mine
	release := func() {
		if s.updates.poll == mine {
			s.updates.poll = nil
		}
	}
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expired = t.C
	}
	for {
		s.updates.confirm(offset)
		out := s.updates.take(limit)
		if len(out) > 0 || expired == nil || s.closed {
			release()
			s.mu.Unlock()
			return out, nil
		}
		sig := s.updates.signal
		s.mu.Unlock()
		select {
		case <-sig:
		case <-mine:
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return []wireUpdate{}, nil
			}
			return nil, errPollConflict
		case <-ctx.Done():
			s.mu.Lock()
			release()
			s.mu.Unlock()
			return []wireUpdate{}, nil
		case <-expired:
			s.mu.Lock()
			release()
			s.mu.Unlock()
			return []wireUpdate{}, nil
		}
		s.mu.Lock()
	}
}

// publishLocked numbers and queues an update; the caller holds s.mu.
func (s *Server) publishLocked(u wireUpdate) int64 {
	u.UpdateID = s.updates.next
	s.updates.next++
	s.updates.sent[u.UpdateID] = u
	s.updates.publish(u, false)
	return u.UpdateID
}

// PendingUpdates is the number of updates the bot has not confirmed yet.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates.pending)
}
