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
		run, _, err = tx.StartRun(ctx, runOf(c, latest), now)
		return err
	})
	if err != nil || res.Slot.IsZero() {
		return res, err
	}
	if res.Skipped > 0 {
		s.log.Info("outreach: missed slots skipped", "campaign", c.ID, "skipped", res.Skipped, "caught_up", res.Slot)
	}
	res.Queued, err = s.carryOut(ctx, s.assets.Assets(), run.ID)
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

// Start runs campaigns on their schedules and the periodic jobs (see
// jobs.go) each at its own interval, but never more often than every
// (tests slow them down); it catches up, and keeps going until ctx ends. It
// returns once the cron runner is stopped and running jobs have finished.
// queued (nil for nobody) is called after every campaign tick and job:
// the sender sleeps until told that the outbox has new rows. It is called
// whether or not the job queued anything, so rows queued by another
// process (the command line) go out within an interval too.
func (s *Service) Start(ctx context.Context, every time.Duration, queued func()) error {
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
				s.logFailure(ctx, "outreach: campaign", err, "campaign", cp.ID)
			case !res.Slot.IsZero():
				s.log.Info("outreach: campaign ran", "campaign", cp.ID, "slot", res.Slot, "queued", res.Queued)
			}
			tell()
		}))
	}
	for _, j := range s.Jobs() {
		c.Schedule(cron.Every(max(j.Every, every)), cron.FuncJob(func() {
			if err := s.runJob(ctx, j); err != nil {
				s.logFailure(ctx, "outreach: job", err)
			}
			tell()
		}))
	}
	// The runner starts before the catch-up, not after: it takes its
	// first fire times from the moment it starts, so a slot falling due
	// while a long catch-up ran (a resumed 50,000-resident fan-out) would
	// be owed by neither. Entries returns only once the running loop has
	// those times. A slot both see is run once: Tick reads and advances
	// the stored last slot in one write transaction.
	c.Start()
	c.Entries()
	if err := s.CatchUp(ctx); err != nil {
		s.logFailure(ctx, "outreach: catch-up", err)
	}
	if err := s.RunJobs(ctx); err != nil {
		s.logFailure(ctx, "outreach: jobs", err)
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

// logFailure logs a campaign's or job's error, unless the service is
// stopping: work cut short by the stop is not a failure (the next start
// resumes it), and an error line at every shutdown would teach the people
// who watch the log to ignore error lines.
func (s *Service) logFailure(ctx context.Context, msg string, err error, args ...any) {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		s.log.Info(msg+": stopped by shutdown", append(args, "err", err)...)
		return
	}
	s.log.Error(msg, append(args, "err", err)...)
}
