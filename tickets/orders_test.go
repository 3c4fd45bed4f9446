package tickets

import (
	"context"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
)

func TestUpdateOrder(t *testing.T) {
	f := newFixture(t, cadre)
	deadline := f.now.Add(72 * time.Hour)
	tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.Open(ctx, tx, f.a, OpenInput{Text: "村口路灯不亮", Intent: roadsIn("翟各庄村"), Source: taxonomy.Hotline,
			ExternalID: "GD1", RequesterName: "张先生", RequesterPhone: "13800001111", ResolveBy: deadline})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !tk.ResolveBy.Equal(deadline) || tk.AcceptBy.After(tk.ResolveBy) {
		t.Fatalf("deadlines from the order: accept %s resolve %s", tk.AcceptBy, tk.ResolveBy)
	}
	// No change, no event.
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.UpdateOrder(ctx, tx, f.a, tk.ID, OrderUpdate{})
	}); err != nil {
		t.Fatal(err)
	}
	later := deadline.Add(48 * time.Hour)
	got, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
		return f.svc.UpdateOrder(ctx, tx, f.a, tk.ID, OrderUpdate{Text: "村口路灯不亮，再次催促", ResolveBy: later, Supervised: true,
			Changes: []OrderChange{{Field: "诉求内容", From: "村口路灯不亮", To: "村口路灯不亮，再次催促"}, {Field: "督办标志", From: "false", To: "true"}}})
	})
	if err != nil || got.Text != "村口路灯不亮，再次催促" || !got.ResolveBy.Equal(later) || got.RequesterName != "张先生" {
		t.Fatalf("updated = %+v %v", got, err)
	}
	if ev := f.events(t, tk.ID); !equal(ev[len(ev)-2:], []string{EventOrderUpdated, EventSupervised}) {
		t.Errorf("events = %v", ev)
	}
	told := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindSupervised})
	if len(told) != 1 || !strings.Contains(told[0].Text, "GD1") {
		t.Errorf("handler told %+v", told)
	}
	edits := f.outbox(t, storage.OutboxFilter{ChatID: int64(cadre), Kind: notice.KindCardEdit})
	if len(edits) != 1 || !strings.Contains(edits[0].Text, "再次催促") {
		t.Errorf("card edits = %+v", edits)
	}
}
