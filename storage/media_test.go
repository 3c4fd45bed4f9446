package storage

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestTicketPlaceVoiceEmergencyAndReopen(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		tk := Ticket{Text: "[语音 8秒]", Category: "other", Urgency: "urgent", State: "assigned", CreatedAt: t0, AcceptBy: t0, ResolveBy: t0,
			Place: Place{Lat: 39.9042, Lon: 116.4074}, Emergency: "gas", Voice: 8}
		if err := tx.InsertTicket(ctx, &tk); err != nil {
			return err
		}
		got, err := tx.Ticket(ctx, tk.ID)
		if err != nil {
			return err
		}
		if got.Place != tk.Place || got.Emergency != "gas" || got.Voice != 8 {
			t.Errorf("stored %+v", got)
		}
		got.Place, got.ReopenNote, got.ReopenReason = Place{}, "已修好", "还是不行"
		if err := tx.SaveTicket(ctx, got); err != nil {
			return err
		}
		again, err := tx.Ticket(ctx, tk.ID)
		if err != nil {
			return err
		}
		if again.Place.Known() || again.ReopenNote != "已修好" || again.ReopenReason != "还是不行" || again.Emergency != "gas" {
			t.Errorf("saved %+v", again)
		}
		plain := Ticket{Text: "x", Category: "other", Urgency: "low", State: "new", CreatedAt: t0, AcceptBy: t0, ResolveBy: t0}
		if err := tx.InsertTicket(ctx, &plain); err != nil {
			return err
		}
		if p, err := tx.Ticket(ctx, plain.ID); err != nil || p.Place.Known() || p.Voice != 0 || p.Emergency != "" {
			t.Errorf("plain ticket %+v, %v", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTicketMedia(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		tk := Ticket{Text: "x", Category: "other", Urgency: "low", State: "new", CreatedAt: t0, AcceptBy: t0, ResolveBy: t0}
		if err := tx.InsertTicket(ctx, &tk); err != nil {
			return err
		}
		for _, m := range []Media{
			{TicketID: tk.ID, Kind: MediaPhoto, FileID: "p1", ChatID: 9, MessageID: 3, Caption: "路灯", AddedAt: t0},
			{TicketID: tk.ID, Kind: MediaVoice, FileID: "v1", ChatID: 9, MessageID: 4, Duration: 12, AddedAt: t0},
		} {
			if err := tx.AddTicketMedia(ctx, &m); err != nil {
				return err
			}
			if m.ID == 0 {
				t.Error("no id")
			}
		}
		bad := Media{TicketID: tk.ID, Kind: MediaLocation, FileID: "l", ChatID: 9, MessageID: 5}
		if err := tx.AddTicketMedia(ctx, &bad); err == nil {
			t.Error("a location was stored as ticket media")
		}
		ms, err := tx.TicketMedia(ctx, tk.ID)
		if err != nil {
			return err
		}
		if len(ms) != 2 || ms[0].Kind != MediaPhoto || ms[0].Caption != "路灯" || ms[1].Duration != 12 || ms[1].MessageID != 4 || !ms[1].AddedAt.Equal(t0) {
			t.Errorf("media = %+v", ms)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPendingMedia(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.EnsureResident(ctx, 9, "", t0); err != nil {
			return err
		}
		if _, ok, err := tx.LastPendingText(ctx, 9); ok || err != nil {
			t.Errorf("last pending text of nobody: %v %v", ok, err)
		}
		if err := tx.AddPendingText(ctx, 9, "停水了", t0); err != nil {
			return err
		}
		last, ok, err := tx.LastPendingText(ctx, 9)
		if err != nil || !ok || last.Text != "停水了" {
			t.Errorf("last pending text = %+v %v %v", last, ok, err)
		}
		for _, p := range []PendingMedia{
			{ResidentID: 9, Kind: MediaPhoto, FileID: "old", ChatID: 9, MessageID: 1, ReceivedAt: t0.Add(-2 * time.Hour)},
			{ResidentID: 9, Kind: MediaLocation, ChatID: 9, MessageID: 2, Place: Place{Lat: 40, Lon: 116}, TextID: last.ID, ReceivedAt: t0},
			{ResidentID: 9, Kind: MediaVoice, FileID: "v", ChatID: 9, MessageID: 3, Duration: 5, Transcript: "停水", ReceivedAt: t0},
		} {
			if err := tx.AddPendingMedia(ctx, p); err != nil {
				return err
			}
		}
		if err := tx.AddPendingMedia(ctx, PendingMedia{ResidentID: 9, Kind: "sticker", ReceivedAt: t0}); err == nil || !strings.Contains(err.Error(), "sticker") {
			t.Errorf("unknown kind: %v", err)
		}
		if has, err := tx.HasPendingMedia(ctx, 9, t0.Add(-time.Hour)); !has || err != nil {
			t.Errorf("has pending = %v %v", has, err)
		}
		got, err := tx.TakePendingMedia(ctx, 9, t0.Add(-time.Hour))
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0].Kind != MediaLocation || got[0].Place.Lat != 40 || got[0].TextID != last.ID ||
			got[1].Transcript != "停水" || got[1].Media(7).Duration != 5 || got[1].Media(7).TicketID != 7 {
			t.Errorf("taken = %+v", got)
		}
		// The one too old was dropped with the others.
		if again, _ := tx.TakePendingMedia(ctx, 9, time.Time{}); len(again) != 0 {
			t.Errorf("taken twice: %+v", again)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEnqueueCopy(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		id, err := tx.Enqueue(ctx, OutboxMessage{ChatID: 5, Method: "copy", FromChat: 9, FromMessageID: 3, Text: "工单 <b>1</b>", Kind: "media_copy"}, t0)
		if err != nil {
			return err
		}
		if _, err := tx.Enqueue(ctx, OutboxMessage{ChatID: 5, Method: "copy", Kind: "media_copy"}, t0); err == nil {
			t.Error("a copy of nothing was queued")
		}
		ms, err := tx.OutboxMessages(ctx, OutboxFilter{ChatID: 5})
		if err != nil {
			return err
		}
		if len(ms) != 1 || ms[0].ID != id || ms[0].Method != "copy" || ms[0].FromChat != 9 || ms[0].FromMessageID != 3 {
			t.Errorf("rows = %+v", ms)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pending(ctx, LaneTicket, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].FromChat != 9 || rows[0].FromMessageID != 3 {
		t.Errorf("pending = %+v, %v", rows, err)
	}
}
