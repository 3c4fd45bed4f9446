package tickets

import (
	"context"
	"fmt"
	"time"

	"hotline/assets"
	"hotline/notice"
	"hotline/storage"
)

// 12345 work orders: the platform may re-export an order it changed (new
// words, a later deadline, 督办). The import hands the change to the
// lifecycle, which updates the ticket and records what changed.

// Event kinds of 12345 orders.
const (
	EventOrderUpdated = "order_updated" // a re-export changed the order
	EventSupervised   = "supervised"    // the platform put the order under supervision (督办标志)
)

// OrderChange is one column of an order that changed.
type OrderChange struct {
	Field    string `json:"field"`
	From, To string
}

// OrderUpdate is what a re-export changes on the order's ticket. Zero
// fields keep the ticket's; Changes lists every changed column, also
// those (village, category) the ticket does not follow once routed, for
// the centre to judge.
type OrderUpdate struct {
	Text                          string
	RequesterName, RequesterPhone string
	ResolveBy                     time.Time
	Supervised                    bool // newly under supervision
	Changes                       []OrderChange
}

// UpdateOrder applies a re-export's changes to ticket id.
func (s *Service) UpdateOrder(ctx context.Context, tx *storage.Tx, a *assets.Assets, id storage.TicketID, u OrderUpdate) (storage.Ticket, error) {
	t, err := load(ctx, tx, id)
	if err != nil {
		return t, err
	}
	if len(u.Changes) == 0 {
		return t, nil
	}
	if u.Text != "" {
		t.Text = u.Text
		_, t.Matchable = matchable(t.Category, t.Text)
	}
	if u.RequesterName != "" {
		t.RequesterName = u.RequesterName
	}
	if u.RequesterPhone != "" {
		t.RequesterPhone = u.RequesterPhone
	}
	if !u.ResolveBy.IsZero() && t.State.Open() {
		t.ResolveBy = u.ResolveBy
	}
	if err := s.save(ctx, tx, &t); err != nil {
		return t, err
	}
	changes := make([]map[string]string, len(u.Changes))
	for i, c := range u.Changes {
		changes[i] = map[string]string{"field": c.Field, "from": c.From, "to": c.To}
	}
	if err := s.event(ctx, tx, t, EventOrderUpdated, 0, t.State, t.State, map[string]any{"changes": changes}); err != nil {
		return t, err
	}
	if u.Supervised {
		if err := s.Supervised(ctx, tx, t); err != nil {
			return t, err
		}
	}
	if t.State.Open() {
		return t, s.editCard(ctx, tx, t)
	}
	return t, nil
}

// Supervised records that the platform put t under supervision (督办) and
// tells its handler, who must hurry.
func (s *Service) Supervised(ctx context.Context, tx *storage.Tx, t storage.Ticket) error {
	if err := s.event(ctx, tx, t, EventSupervised, 0, t.State, t.State, map[string]any{"by": "12345"}); err != nil {
		return err
	}
	if !t.State.Open() || t.HandlerID == 0 {
		return nil
	}
	_, err := s.toStaff(ctx, tx, int64(t.HandlerID), notice.Supervised(t))
	if err != nil {
		return fmt.Errorf("tell the handler of %s: %w", t.Number, err)
	}
	return nil
}
