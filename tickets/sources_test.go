package tickets

import (
	"context"
	"errors"
	"strings"
	"testing"

	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

func roadsIn(village string) intents.Result {
	return intents.Result{Category: taxonomy.Roads, Urgency: taxonomy.Normal, Village: village, Confidence: 0.9, Source: "embedded"}
}

// Every source opens a ticket routed like any other; only a requester
// with a chat is written to, and a requester without one is phoned: the
// handler's card shows the whole number, everyone else a masked one.
func TestOpenEachSource(t *testing.T) {
	tests := []struct {
		name        string
		in          OpenInput
		wantReceipt bool
	}{
		{"telegram", OpenInput{ResidentID: resident, Text: "村口路灯坏了", Intent: roadsIn("翟各庄村")}, true},
		{"checkin", OpenInput{ResidentID: resident, Text: "有问题", Intent: roadsIn("翟各庄村"), Campaign: "flood-check",
			Source: taxonomy.Checkin}, true},
		{"visit", OpenInput{Text: "村口路灯坏了", Intent: roadsIn("翟各庄村"), Source: taxonomy.Visit, OpenedBy: cadre,
			RequesterName: "张大爷", RequesterPhone: "13800001111"}, false},
		{"phone", OpenInput{Text: "村口路灯坏了", Intent: roadsIn("翟各庄村"), Source: taxonomy.Phone, OpenedBy: leader,
			RequesterName: "张大爷", RequesterPhone: "13800001111"}, false},
		{"walkin", OpenInput{Text: "村口路灯坏了", Intent: roadsIn("翟各庄村"), Source: taxonomy.Walkin, OpenedBy: center,
			RequesterName: "张大爷", RequesterPhone: "13800001111"}, false},
		{"12345", OpenInput{Text: "村口路灯坏了", Intent: roadsIn("翟各庄村"), Source: taxonomy.Hotline, ExternalID: "BJ2026112800123",
			RequesterName: "张大爷", RequesterPhone: "13800001111"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, cadre, leader, center)
			tk, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
				return f.svc.Open(ctx, tx, f.a, tt.in)
			})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.in.Source
			if want == "" {
				want = taxonomy.Telegram
			}
			if tk.Source != want || tk.HandlerID != cadre || tk.ExternalID != tt.in.ExternalID || tk.OpenedBy != tt.in.OpenedBy {
				t.Errorf("ticket = %+v", tk)
			}
			receipts := f.outbox(t, storage.OutboxFilter{Kind: notice.KindReceipt})
			if (len(receipts) == 1) != tt.wantReceipt {
				t.Errorf("receipts = %d, want %v", len(receipts), tt.wantReceipt)
			}
			if !tt.wantReceipt && len(f.outbox(t, storage.OutboxFilter{ChatID: resident})) != 0 {
				t.Error("a requester without a chat must get no message")
			}
			cards := f.outbox(t, storage.OutboxFilter{Kind: notice.KindCard})
			if len(cards) != 1 {
				t.Fatalf("cards = %d", len(cards))
			}
			if !tk.HasChat() {
				if !strings.Contains(cards[0].Text, "请电话联系") || !strings.Contains(cards[0].Text, "张大爷 13800001111") ||
					!strings.Contains(cards[0].Text, "来源："+want.Chinese()) {
					t.Errorf("handler's card:\n%s", cards[0].Text)
				}
				// Anyone else sees it masked.
				other := notice.CardText(tk, storage.Resident{}, leader)
				if strings.Contains(other, "13800001111") || !strings.Contains(other, "138****1111") {
					t.Errorf("card for another viewer:\n%s", other)
				}
			}
		})
	}
}

// Staff open tickets for others only within their rights (MayOpen).
func TestOpenForOthersRights(t *testing.T) {
	tests := []struct {
		name    string
		actor   roster.StaffID
		village string
		source  taxonomy.Source
		extID   string
		ok      bool
	}{
		{"cadre, own village", cadre, "翟各庄村", taxonomy.Visit, "", true},
		{"cadre, another village", cadre, "梁家务村", taxonomy.Visit, "", false},
		{"area leader, own 片区", leader, "翟各庄村", taxonomy.Phone, "", true},
		{"area leader, another 片区", leader, "梁家务村", taxonomy.Phone, "", false},
		{"department, anywhere", water, "梁家务村", taxonomy.Phone, "", true},
		{"centre, anywhere", center, "梁家务村", taxonomy.Walkin, "", true},
		{"centre, no village", center, "", taxonomy.Phone, "", true},
		{"cadre, no village", cadre, "", taxonomy.Phone, "", false},
		{"centre, 12345 order", center, "梁家务村", taxonomy.Hotline, "BJ1", true},
		{"cadre, 12345 order", cadre, "翟各庄村", taxonomy.Hotline, "BJ1", false},
		{"cadre, telegram for someone", cadre, "翟各庄村", taxonomy.Telegram, "", false},
		{"not staff", roster.StaffID(stranger), "翟各庄村", taxonomy.Visit, "", false},
		{"unknown village", center, "火星村", taxonomy.Visit, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
				return f.svc.Open(ctx, tx, f.a, OpenInput{Text: "路灯坏了", Intent: roadsIn(tt.village), Source: tt.source,
					OpenedBy: tt.actor, ExternalID: tt.extID})
			})
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok && tt.village != "火星村" && !errors.Is(err, ErrForbidden) {
				t.Errorf("refusal is not ErrForbidden: %v", err)
			}
		})
	}
}

func TestOpenRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   OpenInput
	}{
		{"unknown source", OpenInput{ResidentID: resident, Text: "x", Intent: roadsIn("翟各庄村"), Source: "wechat"}},
		{"12345 without its number", OpenInput{Text: "x", Intent: roadsIn("翟各庄村"), Source: taxonomy.Hotline}},
		{"a visit nobody opened", OpenInput{Text: "x", Intent: roadsIn("翟各庄村"), Source: taxonomy.Visit}},
		{"a visit for a resident with a chat", OpenInput{ResidentID: resident, Text: "x", Intent: roadsIn("翟各庄村"),
			Source: taxonomy.Visit, OpenedBy: cadre}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, cadre)
			if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) {
				return f.svc.Open(ctx, tx, f.a, tt.in)
			}); err == nil {
				t.Fatal("want error")
			}
			if n := len(f.outbox(t, storage.OutboxFilter{})); n != 0 {
				t.Errorf("%d messages queued for a refused ticket", n)
			}
		})
	}
}

// A 12345 order is unique by its number.
func TestExternalIDUnique(t *testing.T) {
	f := newFixture(t, cadre)
	in := OpenInput{Text: "路灯坏了", Intent: roadsIn("翟各庄村"), Source: taxonomy.Hotline, ExternalID: "BJ2026-1"}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) { return f.svc.Open(ctx, tx, f.a, in) }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.do(t, func(ctx context.Context, tx *storage.Tx) (storage.Ticket, error) { return f.svc.Open(ctx, tx, f.a, in) }); err == nil {
		t.Fatal("a second ticket with the same 12345 number: want error")
	}
}
