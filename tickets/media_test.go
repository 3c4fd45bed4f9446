package tickets

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// A caller may name the first handler (a voice message's cadre, the
// centre for an emergency nobody can place); someone not in the roster is
// refused.
func TestOpenWithAHandler(t *testing.T) {
	f := newFixture(t, cadre, center)
	open := func(h int64, voice int, em intents.EmergencyKind) (storage.Ticket, error) {
		return f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Open(ctx, tx, f.a, OpenInput{ResidentID: resident, Text: "[语音 5秒]", Handler: roster.StaffID(h), Voice: voice,
				Place:  storage.Place{Lat: 39.8, Lon: 116.8},
				Intent: intents.Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Village: "翟各庄村", Emergency: em}})
		})
	}
	tk, err := open(int64(cadre), 5, "")
	if err != nil || tk.HandlerID != cadre || tk.Voice != 5 || !tk.Place.Known() {
		t.Fatalf("voice ticket = %+v, %v", tk, err)
	}
	if m := f.outbox(t, storage.OutboxFilter{ChatID: resident, TicketID: tk.ID}); len(m) != 1 || m[0].Kind != notice.KindVoiceReceipt {
		t.Errorf("resident got %+v", m)
	}
	if card := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), TicketID: tk.ID}); !strings.Contains(card[0].Text, "📍 位置") {
		t.Errorf("card = %q", card[0].Text)
	}
	tk, err = open(int64(center), 0, intents.EmergencyFire)
	if err != nil || tk.HandlerID != center || tk.Emergency != "fire" {
		t.Fatalf("emergency ticket = %+v, %v", tk, err)
	}
	if _, err := open(999, 0, ""); !errors.Is(err, routing.ErrNoHandler) {
		t.Errorf("a handler not in the roster: %v", err)
	}
}

// Photos and voice added to a ticket are kept and copied to the card's
// holder; a later card (here an escalation) is followed by them again.
// Only the ticket's own resident may add them.
func TestAddMedia(t *testing.T) {
	f := newFixture(t, cadre, leader)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	photo := storage.Media{Kind: storage.MediaPhoto, FileID: "p", ChatID: resident, MessageID: 7, Caption: "路灯"}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.AddMedia(ctx, tx, tk.ID, stranger, photo)
	}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("a stranger added a photo: %v", err)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.AddMedia(ctx, tx, tk.ID, resident, photo)
	}); err != nil {
		t.Fatal(err)
	}
	got := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), TicketID: tk.ID})
	if !slices.Equal(kindsOf(got), []string{notice.KindCard, notice.KindMediaCopy}) || got[1].FromMessageID != 7 {
		t.Fatalf("cadre got %v", kindsOf(got))
	}
	if !slices.Contains(f.events(t, tk.ID), EventMediaAdded) {
		t.Errorf("events = %v", f.events(t, tk.ID))
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Escalate(ctx, tx, f.a, tk.ID, cadre, "上报")
	}); err != nil {
		t.Fatal(err)
	}
	if got := kindsOf(f.outbox(t, storage.OutboxFilter{ChatID: int64(leader), TicketID: tk.ID})); !slices.Equal(got, []string{notice.KindCard, notice.KindMediaCopy}) {
		t.Errorf("leader got %v", got)
	}
}

// A place goes on an open ticket of the resident: the card is rewritten,
// the handler gets the note and the pin. A closed ticket refuses it.
func TestAttachPlace(t *testing.T) {
	f := newFixture(t, cadre)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	p := storage.Place{Lat: 39.80123, Lon: 116.81234}
	got, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.AttachPlace(ctx, tx, f.a, tk.ID, resident, storage.Media{Place: p, MessageID: 12, Title: "村委会"})
	})
	if err != nil || got.Place != p {
		t.Fatalf("attach = %+v, %v", got, err)
	}
	ms := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), TicketID: tk.ID})
	if !slices.Equal(kindsOf(ms), []string{notice.KindCard, notice.KindCardEdit, notice.KindPlaceAddendum, notice.KindMediaCopy}) ||
		!strings.Contains(ms[1].Text, "39.80123, 116.81234") || ms[3].FromMessageID != 12 || ms[3].FromChat != resident {
		t.Fatalf("cadre got %+v", ms)
	}
	// The ticket keeps the place among its media, for the desk.
	err = f.db.View(context.Background(), func(tx *storage.Tx) error {
		media, err := tx.ProblemMedia(context.Background(), tk.ID)
		if err == nil && (len(media) != 1 || media[0].Kind != storage.MediaLocation || media[0].Place != p ||
			media[0].Title != "村委会" || media[0].MessageID != 12) {
			t.Errorf("media = %+v", media)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.AttachPlace(ctx, tx, f.a, tk.ID, resident, storage.Media{})
	}); err == nil {
		t.Error("attached no place")
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Resolve(ctx, tx, f.a, tk.ID, cadre, "修好了", "")
	}); err != nil {
		t.Fatal(err)
	}
	var illegal *routing.IllegalTransitionError
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.AttachPlace(ctx, tx, f.a, tk.ID, resident, storage.Media{Place: p, MessageID: 13})
	}); !errors.As(err, &illegal) {
		t.Errorf("attached to a resolved ticket: %v", err)
	}
}

// 未解决 keeps the result the resident rejected for the new card; their
// reason, given afterwards, rewrites the card and is told to the handler.
func TestReopenKeepsTheNoteAndTakesTheReason(t *testing.T) {
	f := newFixture(t, cadre)
	tk := f.open(t, taxonomy.Roads, taxonomy.Normal)
	reason := func() error {
		_, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.ReopenReason(ctx, tx, tk.ID, resident, "还是黑的")
		})
		return err
	}
	var illegal *routing.IllegalTransitionError
	if err := reason(); !errors.As(err, &illegal) {
		t.Errorf("a reason for a ticket never sent back: %v", err)
	}
	for _, step := range []func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error){
		func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Resolve(ctx, tx, f.a, tk.ID, cadre, "换了灯泡", "")
		},
		func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
			return f.svc.Unresolved(ctx, tx, f.a, tk.ID, resident)
		},
	} {
		if _, err := f.do(t, step); err != nil {
			t.Fatal(err)
		}
	}
	cards := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindCard})
	if card := cards[len(cards)-1]; !strings.Contains(card.Text, "居民反馈未解决") || !strings.Contains(card.Text, "上次办理结果：换了灯泡") {
		t.Errorf("new card = %q", card.Text)
	}
	if err := reason(); err != nil {
		t.Fatal(err)
	}
	after := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), TicketID: tk.ID})
	n := len(after)
	if got := kindsOf(after[n-2:]); !slices.Equal(got, []string{notice.KindCardEdit, notice.KindReasonAddendum}) || !strings.Contains(after[n-2].Text, "居民说：还是黑的") {
		t.Errorf("cadre got %v", got)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.ReopenReason(ctx, tx, tk.ID, stranger, "x")
	}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("a stranger's reason: %v", err)
	}
}

func kindsOf(ms []storage.OutboxMessage) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Kind
	}
	return out
}
