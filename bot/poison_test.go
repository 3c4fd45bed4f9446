package bot

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

// withoutCentre is the demo roster with nobody at the centre: a report in
// "other", which only the centre takes, cannot be routed. Every attempt at
// it fails the same way — a poison update.
func withoutCentre() *roster.Roster {
	r := roster.Demo()
	r.Staff = slices.DeleteFunc(r.Staff, func(s roster.Staff) bool { return s.Role == roster.Center })
	return r
}

func TestPoisonUpdateIsGivenUpAndItsSenderTold(t *testing.T) {
	f := newFixtureWith(t, withoutCentre())
	f.register(residentA, "东片区", "翟各庄村")
	sent := f.count(residentA)

	upd := f.message(residentA, models.Message{Text: "你好，问个事"})
	if err := f.h.Handle(f.ctx, upd); err == nil {
		t.Fatal("the poison update succeeded")
	}
	if j, p, _ := f.db.UpdateProcessed(f.ctx, upd.ID); !j || p {
		t.Fatalf("after one failure: journalled=%v processed=%v", j, p)
	}
	// Shutting down mid-update is not the update's fault and not counted.
	cancelled, cancel := context.WithCancel(f.ctx)
	cancel()
	if err := f.h.Process(cancelled, upd); err == nil {
		t.Fatal("processed with a cancelled context")
	}
	// The retry loop tries it again; a restart's replay a third time, and
	// gives up: the resident is asked to send it again, once.
	if n, err := f.h.retryFailed(f.ctx); err != nil || n != 0 {
		t.Fatalf("retry = %d, %v", n, err)
	}
	if f.count(residentA) != sent {
		t.Fatalf("told something before giving up: %v", f.kindsSince(residentA, sent))
	}
	if n, err := f.h.Replay(f.ctx); err != nil || n != 0 {
		t.Fatalf("replay = %d, %v", n, err)
	}
	if j, p, _ := f.db.UpdateProcessed(f.ctx, upd.ID); !j || !p {
		t.Fatalf("after giving up: journalled=%v processed=%v", j, p)
	}
	if got := f.kindsSince(residentA, sent); !slices.Equal(got, []string{notice.KindNotHandled}) {
		t.Fatalf("resident was sent %v", got)
	}
	if ts := f.outbox(storage.OutboxFilter{Kind: notice.KindReceipt}); len(ts) != 0 {
		t.Fatalf("a ticket came of it: %v", ts)
	}
	// Nothing is left to retry, at a restart or later.
	for _, run := range []func(context.Context) (int, error){f.h.Replay, f.h.retryFailed} {
		if n, err := run(f.ctx); err != nil || n != 0 {
			t.Fatalf("again = %d, %v", n, err)
		}
	}
	if got := f.kindsSince(residentA, sent); len(got) != 1 {
		t.Fatalf("resident was sent %v", got)
	}
}

// A failure that goes away on retry loses nothing: the update takes effect
// once, from the retry.
func TestFailedUpdateSucceedsOnRetry(t *testing.T) {
	f := newFixtureWith(t, withoutCentre())
	f.register(residentA, "东片区", "翟各庄村")

	upd := f.message(residentA, models.Message{Text: "你好，问个事"})
	if err := f.h.Handle(f.ctx, upd); err == nil {
		t.Fatal("succeeded without a centre")
	}
	f.live.set(roster.Demo()) // the roster is fixed
	if n, err := f.h.retryFailed(f.ctx); err != nil || n != 1 {
		t.Fatalf("retry = %d, %v", n, err)
	}
	if got := len(f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindReceipt})); got != 1 {
		t.Fatalf("receipts = %d", got)
	}
	if n, err := f.h.retryFailed(f.ctx); err != nil || n != 0 {
		t.Fatalf("second retry = %d, %v", n, err)
	}
}

// Escalating past the last level the roster has is refused, not failed:
// the press changes nothing and is not retried.
func TestEscalateWithNobodyAboveIsRefused(t *testing.T) {
	f := newFixtureWith(t, withoutCentre())
	f.text(cadreZhai, "/start")
	f.text(leaderEast, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "路灯坏了")
	f.press(cadreZhai, "esc:"+itoa(tk.ID))
	if got := f.ticket(tk.ID); got.HandlerID != roster.StaffID(leaderEast) {
		t.Fatalf("handler after the first escalation = %d", got.HandlerID)
	}
	before := f.snapshot()
	if got := f.press(leaderEast, "esc:"+itoa(tk.ID)); got != notice.RefuseNoHandler {
		t.Errorf("toast = %q", got)
	}
	if f.snapshot() != before {
		t.Error("the refused escalation changed something")
	}
	if ids, _, _ := f.db.FailedUpdates(f.ctx); len(ids) != 0 {
		t.Errorf("left to retry: %v", ids)
	}
}

// An update that trips a panic in its transaction fails like any other:
// counted, its writes undone, the service still up, and the next update
// handled as usual.
func TestPanickingUpdateIsAFailure(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	calls := 0
	f.h.now = func() time.Time {
		if calls++; calls == 2 { // 1 is the journal's time, 2 the transaction's
			panic("a bug this update trips")
		}
		return f.now
	}
	upd := f.message(residentA, models.Message{Text: "村口路灯坏了"})
	if err := f.h.Handle(f.ctx, upd); err == nil || !strings.Contains(err.Error(), "a bug this update trips") {
		t.Fatalf("err = %v", err)
	}
	if j, p, _ := f.db.UpdateProcessed(f.ctx, upd.ID); !j || p {
		t.Fatalf("after the panic: journalled=%v processed=%v", j, p)
	}
	ids, _, err := f.db.FailedUpdates(f.ctx)
	if err != nil || !slices.Contains(ids, upd.ID) {
		t.Fatalf("failed updates = %v, %v", ids, err)
	}
	if ts := f.outbox(storage.OutboxFilter{Kind: notice.KindReceipt}); len(ts) != 0 {
		t.Fatalf("the panicking update left a receipt: %v", ts)
	}
	// Retried, it succeeds, once.
	if n, err := f.h.retryFailed(f.ctx); err != nil || n != 1 {
		t.Fatalf("retry = %d, %v", n, err)
	}
	if ts := f.outbox(storage.OutboxFilter{Kind: notice.KindReceipt}); len(ts) != 1 {
		t.Fatalf("receipts after the retry: %d", len(ts))
	}
}
