package outreach

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"hotline/storage"
)

// maxMissed bounds how many missed slots one catch-up records, so a
// campaign every minute after a month down does not write 40,000 rows.
const maxMissed = 1000

// TickResult says what a tick of one campaign did.
type TickResult struct {
	Slot    time.Time // the slot run, zero when none
	Skipped int       // missed slots recorded as skipped
	Queued  int
}

// Tick handles a campaign's fire times up to now: the latest one that is
// due runs once if it is younger than the grace window; the older ones
// (missed while the service was down) are recorded as skipped. The same
// code serves the live cron firing and the catch-up at start. A campaign
// seen for the first time starts from now: nothing before it is owed.
func (s *Service) Tick(ctx context.Context, c Campaign) (TickResult, error) {
	var res TickResult
	if c.sched == nil {
		return res, nil
	}
	now := s.now()
	var run storage.Run
	err := s.db.Update(ctx, func(tx *storage.Tx) error {
		last, ok, err := tx.LastScheduled(ctx, c.ID)
		if err != nil {
			return err
		}
		if !ok {
			return tx.SetLastScheduled(ctx, c.ID, now)
		}
		var missed []time.Time
		for t := c.sched.Next(last); !t.IsZero() && !t.After(now); t = c.sched.Next(t) {
			missed = append(missed, t)
			if len(missed) > maxMissed {
				missed = missed[1:]
			}
		}
		if len(missed) == 0 {
			return nil
		}
		latest := missed[len(missed)-1]
		older := missed[:len(missed)-1]
		if now.Sub(latest) > time.Duration(s.cfg.Grace) {
			older = missed
		}
		for _, t := range older {
			if _, _, err := tx.StartRun(ctx, storage.Run{Campaign: c.ID, Slot: t, Kind: c.Kind, Status: storage.RunSkipped,
				Note: "missed while the service was down"}, now); err != nil {
				return err
			}
		}
		res.Skipped = len(older)
		// The new last slot and the run record commit together: a crash
		// after this leaves a running run that ResumeRuns finishes.
		if err := tx.SetLastScheduled(ctx, c.ID, latest); err != nil {
			return err
		}
		if len(older) == len(missed) {
			return nil
		}
		res.Slot = latest
		run, _, err = s.begin(ctx, tx, c, latest)
		return err
	})
	if err != nil || res.Slot.IsZero() {
		return res, err
	}
	if res.Skipped > 0 {
		s.log.Info("outreach: missed slots skipped", "campaign", c.ID, "skipped", res.Skipped, "caught_up", res.Slot)
	}
	res.Queued, err = s.fanOut(ctx, run.ID)
	return res, err
}

// CatchUp is what a start does before the clock takes over: finish
// interrupted runs, then tick every campaign once.
func (s *Service) CatchUp(ctx context.Context) error {
	_, err := s.ResumeRuns(ctx)
	errs := []error{err}
	for _, c := range s.cfg.Campaigns {
		if _, err := s.Tick(ctx, c); err != nil {
			errs = append(errs, fmt.Errorf("campaign %s: %w", c.ID, err))
		}
	}
	return errors.Join(errs...)
}

// FollowUp runs the internal periodic jobs once: SLA reminders and
// escalations, cluster signals, the non-answer visit list, the "has it
// been fixed?" questions and unfinished runs (e.g. broadcasts queued from
// the bot). Each is idempotent, so it may run any number of times.
func (s *Service) FollowUp(ctx context.Context) error {
	var errs []error
	for name, job := range map[string]func(context.Context) (int, error){
		"deadlines": s.CheckDeadlines, "signals": s.CheckSignals, "unanswered": s.CheckUnanswered,
		"fixed": s.AskFixed, "resume": s.ResumeRuns,
	} {
		start := time.Now()
		n, err := job(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
		// Said only when the job did something: every minute otherwise.
		if n > 0 {
			s.log.Info("outreach: follow-up job", "job", name, "count", n, "took", time.Since(start).Round(time.Millisecond))
		}
	}
	return errors.Join(errs...)
}

// Start runs campaigns on their schedules and the follow-up jobs every
// interval, catches up, and keeps going until ctx ends; it returns once the
// cron runner is stopped and running jobs have finished. queued (nil for
// nobody) is called after every job: the sender sleeps until told that
// the outbox has new rows. It is called after every follow-up whether or
// not the job queued anything, so rows queued by another process (the
// command line) go out within an interval too.
func (s *Service) Start(ctx context.Context, interval time.Duration, queued func()) error {
	tell := func() {
		if queued != nil {
			queued()
		}
	}
	c := s.Cron()
	for _, cp := range s.cfg.Campaigns {
		if cp.sched == nil {
			continue
		}
		c.Schedule(cp.sched, cron.FuncJob(func() {
			res, err := s.Tick(ctx, cp)
			switch {
			case err != nil:
				s.log.Error("outreach: campaign", "campaign", cp.ID, "err", err)
			case !res.Slot.IsZero():
				s.log.Info("outreach: campaign ran", "campaign", cp.ID, "slot", res.Slot, "queued", res.Queued)
			}
			tell()
		}))
	}
	c.Schedule(cron.Every(interval), cron.FuncJob(func() {
		if err := s.FollowUp(ctx); err != nil {
			s.log.Error("outreach: follow-up", "err", err)
		}
		tell()
	}))
	// The runner starts before the catch-up, not after: it takes its
	// first fire times from the moment it starts, so a slot falling due
	// while a long catch-up ran (a resumed 50,000-resident fan-out) would
	// be owed by neither. Entries returns only once the running loop has
	// those times. A slot both see is run once: Tick reads and advances
	// the stored last slot in one write transaction.
	c.Start()
	c.Entries()
	if err := s.CatchUp(ctx); err != nil {
		s.log.Error("outreach: catch-up", "err", err)
	}
	if err := s.FollowUp(ctx); err != nil {
		s.log.Error("outreach: follow-up", "err", err)
	}
	tell()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// Cron is the runner campaigns are scheduled on: in the configured time
// zone, with Recover in the chain (the library's default chain has none,
// so one panicking job would take the whole service down) and overlapping
// firings of one job skipped.
func (s *Service) Cron() *cron.Cron {
	l := cronLogger{s.log}
	return cron.New(cron.WithLocation(s.cfg.loc), cron.WithLogger(l),
		cron.WithChain(cron.Recover(l), cron.SkipIfStillRunning(l)))
}

// cronLogger adapts slog to cron.Logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
