package storage

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// A problem's media are its own and its linked reports', in the order
// they came; another ticket's are not among them, and one item is found
// by its id.
func TestProblemMediaAndMediaItem(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		newTicket := func(linkedTo TicketID) Ticket {
			tk := Ticket{Text: "x", Category: "roads", Urgency: "normal", State: "assigned", CreatedAt: t0, AcceptBy: t0, ResolveBy: t0, LinkedTo: linkedTo}
			if linkedTo != 0 {
				tk.State = "linked"
			}
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		primary := newTicket(0)
		follower := newTicket(primary.ID)
		other := newTicket(0)
		var ids []int64
		for _, m := range []Media{
			{TicketID: primary.ID, Kind: MediaPhoto, FileID: "p1", ChatID: 1, MessageID: 1, AddedAt: t0},
			{TicketID: other.ID, Kind: MediaPhoto, FileID: "o1", ChatID: 3, MessageID: 1, AddedAt: t0},
			{TicketID: follower.ID, Kind: MediaVoice, FileID: "f1", ChatID: 2, MessageID: 5, Duration: 7, AddedAt: t0},
			{TicketID: primary.ID, Kind: MediaPhoto, FileID: "p2", ChatID: 1, MessageID: 2, AddedAt: t0},
		} {
			if err := tx.AddTicketMedia(ctx, &m); err != nil {
				return err
			}
			ids = append(ids, m.ID)
		}
		for _, c := range []struct {
			id   TicketID
			want []string
		}{
			{primary.ID, []string{"p1", "f1", "p2"}},
			{follower.ID, []string{"f1"}},
			{other.ID, []string{"o1"}},
			{TicketID(999), nil},
		} {
			ms, err := tx.ProblemMedia(ctx, c.id)
			if err != nil {
				return err
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.FileID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("ProblemMedia(%d) = %v, want %v", c.id, got, c.want)
			}
		}
		m, err := tx.MediaItem(ctx, ids[2])
		if err != nil || m.TicketID != follower.ID || m.Kind != MediaVoice || m.Duration != 7 {
			t.Errorf("MediaItem = %+v, %v", m, err)
		}
		if _, err := tx.MediaItem(ctx, 12345); !errors.Is(err, ErrNotFound) {
			t.Errorf("MediaItem of nothing: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
