package outreach

import (
	"context"
	"fmt"
	"slices"

	"hotline/assets"
	"hotline/notice"
	"hotline/reports"
	"hotline/storage"
)

// digest sends the centre the 日调度, 周专题 or 月综合 (the campaign's
// digest field), computed on a read snapshot as of the run's slot.
func init() {
	registerKind(&kind{
		id:    storage.CampaignDigest,
		about: "the centre: the daily, weekly or monthly digest",
		validate: func(c *Campaign) error {
			if !slices.Contains(digestKinds, reports.PeriodKind(c.Digest)) {
				return fmt.Errorf("digest must be daily, weekly or monthly, not %q", c.Digest)
			}
			return nil
		},
		staff: (*Service).digests,
	})
}

var digestKinds = []reports.PeriodKind{reports.Daily, reports.Weekly, reports.Monthly}

// digests makes the digest of a run for every centre member, on the read
// snapshot view; the daily one also says how much outbound traffic waits.
func (s *Service) digests(ctx context.Context, view *storage.Tx, a *assets.Assets, run storage.Run) ([]storage.OutboxMessage, error) {
	kind := reports.PeriodKind(run.Note)
	d, err := reports.LoadDigest(ctx, view, kind, run.Slot, s.cfg.loc)
	if err != nil {
		return nil, err
	}
	if kind == reports.Daily {
		if d, err = reports.WithBacklog(ctx, d, s.backlog); err != nil {
			return nil, err
		}
	}
	var out []storage.OutboxMessage
	for _, st := range a.Roster.Centers() {
		m := notice.DigestMessage(d, s.cfg.loc)
		m.ChatID, m.DedupeKey = int64(st.TelegramID), runKey(run, int64(st.TelegramID))
		out = append(out, m)
	}
	return out, nil
}

// SetBacklog gives the service the outbox's measure of waiting traffic,
// which the centre's daily digest reports.
func (s *Service) SetBacklog(src reports.BacklogSource) { s.backlog = src }
