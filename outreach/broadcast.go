package outreach

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"hotline/assets"
	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// BroadcastCampaign is the campaign id one-off notices are recorded under.
const BroadcastCampaign = "broadcast"

// ErrBadNotice is returned by Broadcast for a notice that cannot be sent as
// written (segment, category, text): the sender's mistake, which the bot
// answers with the usage rather than treating it as a fault.
var ErrBadNotice = errors.New("bad notice")

// Broadcast records a one-off notice to a segment (e.g. a planned power
// cut) inside the caller's transaction, with 正常 / 有问题 when
// checkinCategory is given, and confirms to the actor. The residents are
// fanned out by ResumeRuns after the commit (the bot calls it, and the
// follow-up job would within its interval). actorID 0 is the command line;
// in Telegram only the centre, admins and area leaders (for a segment
// inside their own 片区) may broadcast.
func (s *Service) Broadcast(ctx context.Context, tx *storage.Tx, a *assets.Assets, actorID roster.StaffID, segment, text, checkinCategory string) (storage.Run, error) {
	seg, err := broadcastSegment(a.Roster, actorID, segment)
	if err != nil {
		return storage.Run{}, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return storage.Run{}, fmt.Errorf("%w: missing text", ErrBadNotice)
	}
	kind, category := storage.CampaignNotice, taxonomy.Category(checkinCategory)
	if category != "" {
		if !category.Valid() {
			return storage.Run{}, fmt.Errorf("%w: unknown category %q", ErrBadNotice, checkinCategory)
		}
		kind = storage.CampaignCheckin
	}
	run, err := s.startBroadcast(ctx, tx, storage.Run{Campaign: BroadcastCampaign, Kind: kind, Segment: seg.String(),
		Text: text, Category: category, ActorID: int64(actorID)})
	if err != nil {
		return storage.Run{}, err
	}
	if actorID != 0 {
		all, err := tx.Audience(ctx, 0, 0, seg.Matcher(a.Roster))
		if err != nil {
			return run, err
		}
		if err := s.queue(ctx, tx, int64(actorID), notice.BroadcastDone(seg.String(), len(all))); err != nil {
			return run, err
		}
	}
	return run, nil
}

// BroadcastAudience is how many residents a notice to segment would reach
// now, after the same checks as Broadcast: the desk shows it and asks for
// confirmation before sending.
func (s *Service) BroadcastAudience(ctx context.Context, tx *storage.Tx, a *assets.Assets, actorID roster.StaffID, segment string) (int, error) {
	seg, err := broadcastSegment(a.Roster, actorID, segment)
	if err != nil {
		return 0, err
	}
	all, err := tx.Audience(ctx, 0, 0, seg.Matcher(a.Roster))
	return len(all), err
}

// broadcastSegment parses and checks a notice's segment, and whether
// actorID may send to it.
func broadcastSegment(r *roster.Roster, actorID roster.StaffID, segment string) (Segment, error) {
	seg, err := ParseSegment(segment)
	if err != nil {
		return Segment{}, fmt.Errorf("%w: %v", ErrBadNotice, err)
	}
	if err := seg.Check(r); err != nil {
		return Segment{}, fmt.Errorf("%w: %v", ErrBadNotice, err)
	}
	return seg, mayBroadcast(r, actorID, seg)
}

// startBroadcast records a broadcast run at the current instant. Runs are
// unique per (campaign, slot) and slots are stored to the millisecond, so a
// second notice in the same millisecond would silently come back as the
// first one; it takes the next free millisecond instead.
func (s *Service) startBroadcast(ctx context.Context, tx *storage.Tx, r storage.Run) (storage.Run, error) {
	now := s.now()
	for i := range 1000 {
		r.Slot = now.Add(time.Duration(i) * time.Millisecond)
		run, created, err := tx.StartRun(ctx, r, now)
		if err != nil || created {
			return run, err
		}
	}
	return storage.Run{}, fmt.Errorf("broadcast: too many notices at %s", now.Format(time.RFC3339))
}

func mayBroadcast(r *roster.Roster, actorID roster.StaffID, seg Segment) error {
	if actorID == 0 {
		return nil
	}
	actor, ok := r.StaffByID(actorID)
	if !ok {
		return fmt.Errorf("%w: %d is not staff", ErrForbidden, actorID)
	}
	// A segment is an intersection of its terms: it stays inside a 片区
	// when its area term or its villages do.
	if tickets.MayNotify(actor, seg.Area()) || tickets.MayNotify(actor, villagesArea(r, seg.Villages())) {
		return nil
	}
	if tickets.MayNotify(actor, actor.Area) {
		return fmt.Errorf("%w: %s may only notify residents of %s", ErrForbidden, actor.Name, actor.Area)
	}
	return fmt.Errorf("%w: %s may not send notices", ErrForbidden, actor.Name)
}

// villagesArea is the one 片区 all of vs lie in, or "" when there are
// none, one is unknown or they span several.
func villagesArea(r *roster.Roster, vs []string) string {
	area := ""
	for i, name := range vs {
		v, ok := r.Village(name)
		if !ok || (i > 0 && v.Area != area) {
			return ""
		}
		area = v.Area
	}
	return area
}
