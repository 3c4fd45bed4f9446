package bot

import (
	"time"

	expbackoff "github.com/cenkalti/backoff/v5"
)

// pause is the sender's one exponential backoff: the wait after each
// failure in a row doubles from first up to last, and reset starts over
// after a success. It serves a row after a 5xx or network error (see
// backoff) and the outbox reads and writes after a database error. There
// is no jitter: the global limiter spaces the retries of many rows anyway,
// and the pauses stay predictable in the logs and the tests.
type pause struct {
	b *expbackoff.ExponentialBackOff
}

func newPause(first, last time.Duration) *pause {
	b := &expbackoff.ExponentialBackOff{InitialInterval: first, Multiplier: 2, MaxInterval: last}
	b.Reset()
	return &pause{b}
}

func (p *pause) next() time.Duration { return p.b.NextBackOff() }
func (p *pause) reset()              { p.b.Reset() }

// backoff is the pause before a row's attempt n+1 after n failed
// attempts: 2 s, 4 s, 8 s... up to 5 minutes. The count lives in the row,
// so the pause survives a restart.
func backoff(n int) time.Duration {
	p := newPause(minBackoff, maxBackoff)
	for range n - 1 {
		p.next()
	}
	return p.next()
}
