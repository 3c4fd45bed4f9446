package outreach

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A Job is a periodic job: its name, how often it runs and what it does.
// Run reports how many things it acted on (tickets, messages, residents).
// Every job is idempotent, so it may run any number of times, and reads
// only what is due, so a pass costs the same whatever the history.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) (int, error)
}

// Jobs are the periodic jobs, each with its interval: the one place they
// are listed. Jobs added with AddJob (e.g. the sender's outbox pruning)
// follow the built-in ones. The roster reload is not here: assets.Live
// watches imports itself.
func (s *Service) Jobs() []Job {
	return append([]Job{
		{Name: "deadlines", Every: time.Minute, Run: s.CheckDeadlines},   // SLA reminders and escalation
		{Name: "signals", Every: time.Minute, Run: s.CheckSignals},       // unusual clusters of tickets
		{Name: "resume", Every: time.Minute, Run: s.ResumeRuns},          // runs interrupted, broadcasts from the bot
		{Name: "unanswered", Every: time.Minute, Run: s.CheckUnanswered}, // check-ins nobody answered
		{Name: "fixed", Every: time.Minute, Run: s.AskFixed},             // "has it been fixed?"
	}, s.extra...)
}

// AddJob registers one more periodic job, before Start: the hook through
// which other parts of the service (the outbox's pruning) run on the same
// scheduler, with the same recovery and logging.
func (s *Service) AddJob(j Job) { s.extra = append(s.extra, j) }

// RunJobs runs every periodic job once, e.g. at start and in tests.
func (s *Service) RunJobs(ctx context.Context) error {
	var errs []error
	for _, j := range s.Jobs() {
		if err := s.runJob(ctx, j); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// runJob runs one job and logs what it did; the caller says why it failed.
func (s *Service) runJob(ctx context.Context, j Job) error {
	start := time.Now()
	n, err := j.Run(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", j.Name, err)
	}
	// Said only when the job did something: every minute otherwise.
	if n > 0 {
		s.log.Info("outreach: job", "job", j.Name, "count", n, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}
