package outreach

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/assets"
	"hotline/storage"
)

// RunResult says what one call to run a campaign slot did.
type RunResult struct {
	Run     storage.Run
	Created bool // the run was recorded by this call
	Queued  int  // outbox rows queued to residents by this call
}

// RunNow runs campaign c for slot now, e.g. from `hotline outreach run`. A
// slot that already ran sends nothing; a skipped slot is run.
func (s *Service) RunNow(ctx context.Context, c Campaign, slot time.Time) (RunResult, error) {
	var res RunResult
	err := s.db.Update(ctx, func(tx *storage.Tx) error {
		var err error
		res.Run, res.Created, err = tx.StartRun(ctx, runOf(c, slot), s.now())
		if err != nil || res.Run.Status != storage.RunSkipped {
			return err
		}
		if err := tx.ReviveRun(ctx, res.Run.ID, runOf(c, slot)); err != nil {
			return err
		}
		res.Run, err = tx.Run(ctx, res.Run.ID)
		return err
	})
	if err != nil {
		return res, err
	}
	n, err := s.carryOut(ctx, s.assets.Assets(), res.Run.ID)
	res.Queued = n
	if err != nil {
		return res, err
	}
	err = s.db.View(ctx, func(tx *storage.Tx) error {
		res.Run, err = tx.Run(ctx, res.Run.ID)
		return err
	})
	return res, err
}

// runOf is the record of c at slot: what its run sends, kept with the run
// so a resumed run sends what was decided when it started.
func runOf(c Campaign, slot time.Time) storage.Run {
	return storage.Run{Campaign: c.ID, Slot: slot, Kind: c.Kind, Segment: c.Segment, Text: c.Text, Category: c.Category, Note: c.Digest}
}

// carryOut does what a recorded run sends, over one roster snapshot: its
// staff messages (made on a read snapshot, queued in one short write),
// then its residents' messages in batches. It resumes from the stored
// cursor and every message has a dedupe key, so it is also how a run
// interrupted by a crash or a restart finishes, repeating nothing.
func (s *Service) carryOut(ctx context.Context, a *assets.Assets, runID int64) (int, error) {
	var run storage.Run
	if err := s.db.View(ctx, func(tx *storage.Tx) error {
		var err error
		run, err = tx.Run(ctx, runID)
		return err
	}); err != nil || run.Status != storage.RunRunning {
		return 0, err
	}
	k := kindOf(run.Kind)
	if k.staff != nil || !k.residents {
		if err := s.staffSide(ctx, a, k, run); err != nil {
			return 0, fmt.Errorf("run %s: %w", run.Campaign, err)
		}
	}
	if !k.residents {
		return 0, nil
	}
	total := 0
	for {
		done, n, err := s.fanOutBatch(ctx, a, k, runID)
		total += n
		if err != nil || done {
			return total, err
		}
	}
}

// staffSide queues what a run sends to staff and finishes a run that sends
// nothing to residents. The messages are made on the read pool, so a
// digest over a year of tickets never holds the write lock.
func (s *Service) staffSide(ctx context.Context, a *assets.Assets, k *kind, run storage.Run) error {
	var msgs []storage.OutboxMessage
	if k.staff != nil {
		if err := s.db.View(ctx, func(view *storage.Tx) error {
			var err error
			msgs, err = k.staff(s, ctx, view, a, run)
			return err
		}); err != nil {
			return err
		}
	}
	return s.db.Update(ctx, func(tx *storage.Tx) error {
		for _, m := range msgs {
			if _, err := s.toStaff(ctx, tx, m.ChatID, m); err != nil {
				return err
			}
		}
		if k.residents {
			return nil
		}
		return tx.AdvanceRun(ctx, run.ID, 0, 0, true, s.now())
	})
}

func (s *Service) fanOutBatch(ctx context.Context, a *assets.Assets, k *kind, runID int64) (done bool, queued int, err error) {
	err = s.db.Update(ctx, func(tx *storage.Tx) error {
		run, err := tx.Run(ctx, runID)
		if err != nil {
			return err
		}
		if run.Status != storage.RunRunning {
			done = true
			return nil
		}
		keep, err := s.audienceOf(a, k, run)
		if err != nil {
			return err
		}
		batch, err := tx.Audience(ctx, run.Cursor, s.batch, keep)
		if err != nil {
			return err
		}
		now := s.now()
		for _, r := range batch {
			m := k.message(run)
			m.ChatID, m.DedupeKey = r.ID, runKey(run, r.ID)
			id, err := tx.Enqueue(ctx, m, now)
			if err != nil {
				return err
			}
			if id != 0 {
				queued++
			}
			// Answers are looked up by recipient; a plain notice expects none.
			if k.answers != answerNone {
				if err := tx.AddRecipient(ctx, run.ID, r.ID, r.Village, now); err != nil {
					return err
				}
			}
		}
		cursor := run.Cursor
		if len(batch) > 0 {
			cursor = batch[len(batch)-1].ID
		}
		done = len(batch) < s.batch
		return tx.AdvanceRun(ctx, run.ID, cursor, len(batch), done, now)
	})
	return done, queued, err
}

// audienceOf is the run's test for one resident: its segment over the
// snapshot's roster, narrowed by the kind.
func (s *Service) audienceOf(a *assets.Assets, k *kind, run storage.Run) (func(storage.Resident) bool, error) {
	seg, err := ParseSegment(run.Segment)
	if err != nil {
		return nil, fmt.Errorf("run %d: %w", run.ID, err)
	}
	match := seg.Matcher(a.Roster)
	if k.reach == nil {
		return match, nil
	}
	narrow := k.reach(s, a, run)
	return func(r storage.Resident) bool { return narrow(r) && match(r) }, nil
}

// ResumeRuns finishes runs interrupted by a crash or a restart, and
// broadcasts queued from the bot, over one roster snapshot. Dedupe keys
// make it safe to repeat.
func (s *Service) ResumeRuns(ctx context.Context) (int, error) {
	var runs []storage.Run
	if err := s.db.View(ctx, func(tx *storage.Tx) error {
		var err error
		runs, err = tx.Runs(ctx, storage.RunFilter{Status: storage.RunRunning})
		return err
	}); err != nil {
		return 0, err
	}
	a := s.assets.Assets()
	total := 0
	var errs []error
	for _, r := range runs {
		n, err := s.carryOut(ctx, a, r.ID)
		total += n
		if err != nil {
			errs = append(errs, fmt.Errorf("resume run %d (%s): %w", r.ID, r.Campaign, err))
			continue
		}
		s.log.Info("outreach: resumed run", "run", r.ID, "campaign", r.Campaign, "queued", n)
	}
	return total, errors.Join(errs...)
}

// Preview lists up to limit residents a campaign would reach now, and how
// many in all, without queuing anything. A campaign to staff reaches no
// resident.
func (s *Service) Preview(ctx context.Context, c Campaign, slot time.Time, limit int) (first []storage.Resident, total int, err error) {
	k := kindOf(c.Kind)
	if !k.residents {
		return nil, 0, nil
	}
	a := s.assets.Assets()
	if err := c.seg.Check(a.Roster); err != nil {
		return nil, 0, err
	}
	keep, err := s.audienceOf(a, k, storage.Run{Kind: c.Kind, Segment: c.Segment, Slot: slot})
	if err != nil {
		return nil, 0, err
	}
	err = s.db.View(ctx, func(tx *storage.Tx) error {
		all, err := tx.Audience(ctx, 0, 0, keep)
		total = len(all)
		first = all[:min(limit, len(all))]
		return err
	})
	return first, total, err
}
