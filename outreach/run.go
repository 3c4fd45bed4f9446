package outreach

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hotline/notice"
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
		res.Run, res.Created, err = s.begin(ctx, tx, c, slot)
		if err != nil || res.Run.Status != storage.RunSkipped {
			return err
		}
		if err := tx.ReviveRun(ctx, res.Run.ID, runOf(c, slot)); err != nil {
			return err
		}
		if res.Run, err = tx.Run(ctx, res.Run.ID); err != nil {
			return err
		}
		return s.staffSide(ctx, tx, c, res.Run)
	})
	if err != nil {
		return res, err
	}
	n, err := s.fanOut(ctx, res.Run.ID)
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

// begin records the run of c at slot in tx and, when it is new, queues its
// staff messages in the same transaction. Residents are fanned out after.
func (s *Service) begin(ctx context.Context, tx *storage.Tx, c Campaign, slot time.Time) (storage.Run, bool, error) {
	run, created, err := tx.StartRun(ctx, runOf(c, slot), s.now())
	if err != nil || !created {
		return run, created, err
	}
	return run, true, s.staffSide(ctx, tx, c, run)
}

// runOf is the record of c at slot: what its run sends, kept with the run
// so a resumed run sends what was decided when it started.
func runOf(c Campaign, slot time.Time) storage.Run {
	return storage.Run{Campaign: c.ID, Slot: slot, Kind: c.Kind, Segment: c.Segment, Text: c.Text, Category: c.Category, Note: c.Digest}
}

// staffSide queues what a run sends to staff and finishes runs that send
// nothing to residents.
func (s *Service) staffSide(ctx context.Context, tx *storage.Tx, c Campaign, run storage.Run) error {
	var err error
	switch run.Kind {
	case KindVisit:
		err = s.visitLists(ctx, tx, run)
	case KindWednesday:
		err = s.wednesdayLists(ctx, tx, run)
	case KindDigest:
		err = s.digests(ctx, tx, c, run)
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", run.Campaign, err)
	}
	if !toResidents(run.Kind) {
		return tx.AdvanceRun(ctx, run.ID, 0, 0, true, s.now())
	}
	return nil
}

// fanOut queues the run's resident messages in batches, each batch in one
// transaction with the run's cursor, until the run is done. It resumes
// from the stored cursor, so it is also how an interrupted run finishes.
func (s *Service) fanOut(ctx context.Context, runID int64) (int, error) {
	total := 0
	for {
		done, n, err := s.fanOutBatch(ctx, runID)
		total += n
		if err != nil || done {
			return total, err
		}
	}
}

func (s *Service) fanOutBatch(ctx context.Context, runID int64) (done bool, queued int, err error) {
	err = s.db.Update(ctx, func(tx *storage.Tx) error {
		run, err := tx.Run(ctx, runID)
		if err != nil {
			return err
		}
		if run.Status != storage.RunRunning {
			done = true
			return nil
		}
		keep, err := s.audienceOf(run)
		if err != nil {
			return err
		}
		batch, err := tx.Audience(ctx, run.Cursor, s.batch, keep)
		if err != nil {
			return err
		}
		now := s.now()
		// Answers are looked up by recipient; a plain notice expects none.
		track := run.Kind == KindCheckin || run.Kind == KindVisit || run.Kind == KindYearEnd
		for _, r := range batch {
			id, err := tx.Enqueue(ctx, campaignMessage(run, r.ID), now)
			if err != nil {
				return err
			}
			if id != 0 {
				queued++
			}
			if track {
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

// audienceOf is the run's test for one resident: its segment and, for a
// visit run, the villages due in its slot.
func (s *Service) audienceOf(run storage.Run) (func(storage.Resident) bool, error) {
	seg, err := ParseSegment(run.Segment)
	if err != nil {
		return nil, fmt.Errorf("run %d: %w", run.ID, err)
	}
	match := seg.Matcher(s.roster())
	if run.Kind != KindVisit {
		return match, nil
	}
	due := map[string]bool{}
	for _, v := range s.dueVillages(run.Slot) {
		due[v] = true
	}
	return func(r storage.Resident) bool { return due[r.Village] && match(r) }, nil
}

// ResumeRuns finishes runs interrupted by a crash or a restart, and
// broadcasts queued from the bot. Dedupe keys make it safe to repeat.
func (s *Service) ResumeRuns(ctx context.Context) (int, error) {
	var runs []storage.Run
	if err := s.db.View(ctx, func(tx *storage.Tx) error {
		var err error
		runs, err = tx.Runs(ctx, "", storage.RunRunning, 0)
		return err
	}); err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, r := range runs {
		n, err := s.fanOut(ctx, r.ID)
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
// many in all, without queuing anything.
func (s *Service) Preview(ctx context.Context, c Campaign, slot time.Time, limit int) (first []storage.Resident, total int, err error) {
	run := storage.Run{Kind: c.Kind, Segment: c.Segment, Slot: slot}
	if !toResidents(c.Kind) {
		return nil, 0, nil
	}
	if err := c.seg.Check(s.roster()); err != nil {
		return nil, 0, err
	}
	keep, err := s.audienceOf(run)
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

// campaignMessage is run's message to one resident.
func campaignMessage(run storage.Run, chat int64) storage.OutboxMessage {
	m := notice.CampaignMessage(run)
	m.ChatID, m.DedupeKey = chat, runKey(run, chat)
	return m
}
