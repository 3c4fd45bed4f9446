package storage

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"
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
			{TicketID: follower.ID, Kind: MediaLocation, FileID: "f2", ChatID: 2, MessageID: 6, AddedAt: t0,
				Place: Place{Lat: 39.1, Lon: 116.5}, Title: "村委会", Address: "翟各庄村1号"},
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
			{primary.ID, []string{"p1", "f1", "p2", "f2"}},
			{follower.ID, []string{"f1", "f2"}},
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
		if m, err := tx.MediaItem(ctx, ids[4]); err != nil || m.Place != (Place{Lat: 39.1, Lon: 116.5}) || m.Title != "村委会" || m.Address != "翟各庄村1号" {
			t.Errorf("a place = %+v, %v", m, err)
		}
		// What the handler is sent copies of: photos and voice, not places.
		if ms, err := tx.TicketMedia(ctx, follower.ID); err != nil || len(ms) != 1 || ms[0].FileID != "f1" {
			t.Errorf("TicketMedia(follower) = %+v, %v", ms, err)
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

// Media that cannot be shown are refused: an unknown kind, a place
// without coordinates.
func TestAddTicketMediaRefuses(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		tk := Ticket{Text: "x", Category: "roads", Urgency: "normal", State: "assigned", CreatedAt: t0, AcceptBy: t0, ResolveBy: t0}
		if err := tx.InsertTicket(ctx, &tk); err != nil {
			return err
		}
		for _, m := range []Media{
			{TicketID: tk.ID, Kind: "video", FileID: "v", AddedAt: t0},
			{TicketID: tk.ID, Kind: MediaLocation, AddedAt: t0},
		} {
			if err := tx.AddTicketMedia(ctx, &m); err == nil {
				t.Errorf("%+v was stored", m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A place shared before 0090 becomes a media item of its ticket, at the
// time its event says it was added, else when the ticket was opened.
func TestPlaceMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := open(ctx, path, 70)
	if err != nil {
		t.Fatal(err)
	}
	added := t0.Add(time.Hour)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO tickets (id, number, text, category, urgency, state, accept_by, resolve_by, created_at, place_lat, place_lon)
			VALUES (1, '2026-000001', 'x', 'roads', 'normal', 'assigned', ?, ?, ?, 39.5, 116.5),
			(2, '2026-000002', 'x', 'roads', 'normal', 'assigned', ?, ?, ?, 39.25, 116.75),
			(3, '2026-000003', 'x', 'roads', 'normal', 'assigned', ?, ?, ?, NULL, NULL)`,
			[]any{fmtTime(t0), fmtTime(t0), fmtTime(t0), fmtTime(t0), fmtTime(t0), fmtTime(t0), fmtTime(t0), fmtTime(t0), fmtTime(t0)}},
		{`INSERT INTO ticket_events (ticket_id, at, kind) VALUES (2, ?, 'place_added')`, []any{fmtTime(added)}},
	} {
		if _, err := old.write.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx *Tx) error {
		for _, c := range []struct {
			id    TicketID
			place Place
			at    time.Time
		}{{1, Place{39.5, 116.5}, t0}, {2, Place{39.25, 116.75}, added}, {3, Place{}, time.Time{}}} {
			ms, err := tx.ProblemMedia(ctx, c.id)
			if err != nil {
				return err
			}
			switch {
			case !c.place.Known() && len(ms) != 0:
				t.Errorf("ticket %d without a place has %+v", c.id, ms)
			case c.place.Known() && (len(ms) != 1 || ms[0].Kind != MediaLocation || ms[0].Place != c.place || !ms[0].AddedAt.Equal(c.at)):
				t.Errorf("ticket %d: %+v, want a place %v at %v", c.id, ms, c.place, c.at)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
