package routing

import (
	"fmt"
	"strings"
	"time"

	"hotline/taxonomy"
)

// SLA is how long a handler has to accept and to resolve a ticket.
type SLA struct {
	Accept  time.Duration
	Resolve time.Duration
}

// Policy maps each urgency to its SLA.
type Policy map[taxonomy.Urgency]SLA

// DefaultPolicy is the township's standing SLA: urgent tickets accepted in
// 30 minutes and resolved in a day; normal in 4 hours and 7 days; low in a
// day and 7 days.
func DefaultPolicy() Policy {
	return Policy{
		taxonomy.Urgent: {Accept: 30 * time.Minute, Resolve: 24 * time.Hour},
		taxonomy.Normal: {Accept: 4 * time.Hour, Resolve: 7 * 24 * time.Hour},
		taxonomy.Low:    {Accept: 24 * time.Hour, Resolve: 7 * 24 * time.Hour},
	}
}

// Validate checks that every urgency has positive deadlines and that
// accepting comes before resolving.
func (p Policy) Validate() error {
	for _, u := range taxonomy.Urgencies {
		s, ok := p[u]
		if !ok {
			return fmt.Errorf("SLA policy: no deadlines for %s", u)
		}
		if s.Accept <= 0 || s.Resolve <= 0 {
			return fmt.Errorf("SLA policy: %s deadlines must be positive", u)
		}
		if s.Accept > s.Resolve {
			return fmt.Errorf("SLA policy: %s accept deadline %s is after resolve deadline %s", u, s.Accept, s.Resolve)
		}
	}
	return nil
}

// For is the SLA of urgency u; an unknown urgency gets the normal one.
func (p Policy) For(u taxonomy.Urgency) SLA {
	if s, ok := p[u]; ok {
		return s
	}
	return p[taxonomy.Normal]
}

// Deadlines returns when a ticket of urgency u assigned at from must be
// accepted and resolved.
func (p Policy) Deadlines(u taxonomy.Urgency, from time.Time) (acceptBy, resolveBy time.Time) {
	s := p.For(u)
	return from.Add(s.Accept), from.Add(s.Resolve)
}

// ParsePolicy reads a policy written as "urgent=30m/24h,normal=4h/168h,low=24h/168h"
// (accept/resolve per urgency). Urgencies left out keep their defaults.
func ParsePolicy(s string) (Policy, error) {
	p := DefaultPolicy()
	if strings.TrimSpace(s) == "" {
		return p, nil
	}
	for _, part := range strings.Split(s, ",") {
		name, spec, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("SLA %q: want urgency=accept/resolve", part)
		}
		u, err := taxonomy.ParseUrgency(strings.TrimSpace(name))
		if err != nil {
			return nil, fmt.Errorf("SLA %q: %w", part, err)
		}
		a, r, ok := strings.Cut(spec, "/")
		if !ok {
			return nil, fmt.Errorf("SLA %q: want accept/resolve, e.g. 4h/168h", part)
		}
		accept, err := time.ParseDuration(strings.TrimSpace(a))
		if err != nil {
			return nil, fmt.Errorf("SLA %q: %w", part, err)
		}
		resolve, err := time.ParseDuration(strings.TrimSpace(r))
		if err != nil {
			return nil, fmt.Errorf("SLA %q: %w", part, err)
		}
		p[u] = SLA{Accept: accept, Resolve: resolve}
	}
	return p, p.Validate()
}
