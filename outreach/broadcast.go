package outreach

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// BroadcastCampaign is the campaign id one-off notices are recorded under.
const BroadcastCampaign = "broadcast"

// Broadcast records a one-off notice to a segment (e.g. a planned power
// cut) inside the caller's transaction, with 正常 / 有问题 when
// checkinCategory is given, and confirms to the actor. The residents are
// fanned out by ResumeRuns after the commit (the bot calls it, and the
// follow-up job would within its interval). actorID 0 is the command line;
// in Telegram only the centre, admins and area leaders (for a segment
// inside their own 片区) may broadcast.
func (s *Service) Broadcast(ctx context.Context, tx *storage.Tx, actorID int64, segment, text, checkinCategory string) (storage.Run, error) {
	seg, err := ParseSegment(segment)
	if err != nil {
		return storage.Run{}, err
	}
	r := s.roster()
	if err := seg.Check(r); err != nil {
		return storage.Run{}, err
	}
	if err := mayBroadcast(r, actorID, seg); err != nil {
		return storage.Run{}, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return storage.Run{}, fmt.Errorf("broadcast: missing text")
	}
	kind := KindNotice
	if checkinCategory != "" {
		if !taxonomy.Category(checkinCategory).Valid() {
			return storage.Run{}, fmt.Errorf("broadcast: unknown category %q", checkinCategory)
		}
		kind = KindCheckin
	}
	run, err := s.startBroadcast(ctx, tx, storage.Run{Campaign: BroadcastCampaign, Kind: kind, Segment: seg.String(),
		Text: text, Category: checkinCategory, ActorID: actorID})
	if err != nil {
		return storage.Run{}, err
	}
	if actorID != 0 {
		keep := seg.Matcher(r)
		all, err := tx.Audience(ctx, 0, 0, keep)
		if err != nil {
			return run, err
		}
		if _, err := tx.Enqueue(ctx, notice.BroadcastDone(actorID, seg.String(), len(all)), s.now()); err != nil {
			return run, err
		}
	}
	return run, nil
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

func mayBroadcast(r *roster.Roster, actorID int64, seg Segment) error {
	if actorID == 0 {
		return nil
	}
	actor, ok := r.StaffByID(actorID)
	if !ok {
		return fmt.Errorf("%w: %d is not staff", ErrForbidden, actorID)
	}
	switch actor.Role {
	case roster.Center, roster.Admin:
		return nil
	case roster.AreaLeader:
		inArea := seg.Area() == actor.Area
		vs := seg.Villages()
		if !inArea && len(vs) > 0 {
			inArea = true
			for _, v := range vs {
				if vil, ok := r.Village(v); !ok || vil.Area != actor.Area {
					inArea = false
				}
			}
		}
		if inArea && actor.Area != "" {
			return nil
		}
		return fmt.Errorf("%w: %s may only notify residents of %s", ErrForbidden, actor.Name, actor.Area)
	}
	return fmt.Errorf("%w: %s may not send notices", ErrForbidden, actor.Name)
}

// ParseNotify reads the arguments of /notify: a segment, optionally
// "checkin:CATEGORY", then the text — "/notify area:东片区 明天 9 点停电".
func ParseNotify(args string) (segment, category, text string, err error) {
	fields := strings.Fields(args)
	if len(fields) < 2 {
		return "", "", "", fmt.Errorf("用法：/notify 范围 [checkin:类别] 内容，例如 /notify village:翟各庄村 明天 9 点到 12 点停电")
	}
	segment, rest := fields[0], fields[1:]
	if c, ok := strings.CutPrefix(rest[0], "checkin:"); ok {
		category, rest = c, rest[1:]
	}
	text = strings.Join(rest, " ")
	if text == "" {
		return "", "", "", fmt.Errorf("通知内容不能为空")
	}
	return segment, category, text, nil
}
