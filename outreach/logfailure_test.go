package outreach

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// A job cut short by the service's stop is not logged as an error; a
// failure while running, or an unrelated failure during the stop, is.
func TestLogFailureAtShutdown(t *testing.T) {
	live := context.Background()
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name  string
		ctx   context.Context
		err   error
		level string
	}{
		{"cut short by the stop", stopped, fmt.Errorf("fixed: begin: %w", context.Canceled), "level=INFO"},
		{"a failure while running", live, errors.New("disk full"), "level=ERROR"},
		{"canceled without a stop", live, context.Canceled, "level=ERROR"},
		{"another failure during the stop", stopped, errors.New("disk full"), "level=ERROR"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			s := &Service{log: slog.New(slog.NewTextHandler(&out, nil))}
			s.logFailure(c.ctx, "outreach: jobs", c.err, "campaign", "x")
			if got := out.String(); !strings.Contains(got, c.level) || !strings.Contains(got, "campaign=x") {
				t.Errorf("logged %q, want %s with the campaign", got, c.level)
			}
		})
	}
}
