package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"hotline/storage"
)

// countingObserver signals each handled update, then lets gate hold it.
type countingObserver struct {
	*gateObserver
	handled chan struct{}
}

func (c countingObserver) UpdateHandled(d time.Duration) {
	if c.passed.Load() {
		c.handled <- struct{}{}
	}
	c.gateObserver.UpdateHandled(d)
}

// pressUpdate is a button press on message 77 of the presser's chat, not
// yet handled.
func (f *fixture) pressUpdate(from int64, data string) *models.Update {
	f.nextID++
	u := f.user(from)
	q := &models.CallbackQuery{ID: fmt.Sprintf("q%d", f.nextID), From: u, Data: data, Message: models.MaybeInaccessibleMessage{
		Type:    models.MaybeInaccessibleMessageTypeMessage,
		Message: &models.Message{ID: 77, Date: int(f.now.Unix()), Chat: models.Chat{ID: from, Type: models.ChatTypePrivate}},
	}}
	return &models.Update{ID: f.nextID, CallbackQuery: q}
}

// Dispatch, as the poll loop calls it: updates are handed over in order
// and handled in the background. Thirty residents register and report at
// once, their steps interleaved. Each one's steps are handled in the
// order sent — a report that overtook its registration would be asked for
// a village instead of opening a ticket — and nothing is lost.
func TestDispatchKeepsEachChatsOrder(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	const n = 30
	steps := make([][]*models.Update, 5)
	var all []*models.Update
	for i := range n {
		id := int64(910_000_000 + i)
		for s, u := range []*models.Update{
			f.message(id, models.Message{Text: "/start"}),
			f.pressUpdate(id, "area:0:东片区"),
			f.pressUpdate(id, "vil:0:翟各庄村"),
			f.pressUpdate(id, "tag:0:skip"),
			f.message(id, models.Message{Text: fmt.Sprintf("%d号院门口的路灯坏了", i+1)}),
		} {
			steps[s] = append(steps[s], u)
		}
	}
	for _, s := range steps {
		all = append(all, s...)
	}
	// The poll loop journals a response's updates before handing them
	// over; renumber them in the interleaved order they are handed over.
	var ups []storage.RawUpdate
	for i, u := range all {
		u.ID = int64(5000 + i)
		ups = append(ups, storage.RawUpdate{ID: u.ID, Raw: []byte("{}")})
	}
	if err := f.db.JournalUpdates(f.ctx, ups, f.now); err != nil {
		t.Fatal(err)
	}
	// The first resident's first update is held once committed, while
	// its turn is still taken: everyone else's go on, and that
	// resident's next steps wait.
	gate := &gateObserver{entered: make(chan struct{}), release: make(chan struct{})}
	handled := make(chan struct{}, len(all))
	f.h.obs = countingObserver{gate, handled}
	f.h.Dispatch(f.ctx, all[0])
	<-gate.entered
	for _, u := range all[1:] {
		f.h.Dispatch(f.ctx, u)
	}
	for range len(all) - 5 {
		<-handled
	}
	for _, s := range steps[1:] {
		if _, p, _ := f.db.UpdateProcessed(f.ctx, s[0].ID); p {
			t.Fatalf("update %d of the held resident was handled before the held one was done", s[0].ID)
		}
	}
	close(gate.release)
	f.h.Wait()

	for i := range n {
		id := int64(910_000_000 + i)
		if r := f.resident(id); r.Village != "翟各庄村" {
			t.Errorf("resident %d registered in %q", id, r.Village)
		}
		var ts []storage.Ticket
		if err := f.db.View(f.ctx, func(tx *storage.Tx) error {
			var err error
			ts, err = tx.Tickets(f.ctx, storage.TicketFilter{ResidentID: id})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("%d号院门口的路灯坏了", i+1); len(ts) != 1 || ts[0].Text != want {
			t.Errorf("resident %d: tickets %+v, want one with %q", id, ts, want)
		}
	}
	ids, _, err := f.db.UnprocessedUpdates(f.ctx)
	if err != nil || len(ids) != 0 {
		t.Errorf("unprocessed after Wait: %v %v", ids, err)
	}
}

// The poll loop stops with a chat's updates in flight: the one whose
// transaction ran is kept, the ones still waiting their turn are not
// processed, not counted as failures (RetryFailed leaves them alone), and
// the next start's Replay handles them, in order.
func TestDispatchShutdownLeavesTheRestToReplay(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	var ups []*models.Update
	var raws []storage.RawUpdate
	for _, text := range []string{"路灯坏了", "垃圾没人收", "井盖丢了"} {
		u := f.message(residentA, models.Message{Text: text})
		raw, _ := json.Marshal(u)
		ups, raws = append(ups, u), append(raws, storage.RawUpdate{ID: u.ID, Raw: raw})
	}
	if err := f.db.JournalUpdates(f.ctx, raws, f.now); err != nil {
		t.Fatal(err)
	}
	gate := &gateObserver{entered: make(chan struct{}), release: make(chan struct{})}
	f.h.obs = gate
	ctx, stop := context.WithCancel(f.ctx)
	for _, u := range ups {
		f.h.Dispatch(ctx, u)
	}
	<-gate.entered // the first is committed and still holds the chat's turn
	stop()
	close(gate.release)
	f.h.Wait()

	if ids, _, err := f.db.FailedUpdates(f.ctx); err != nil || len(ids) != 0 {
		t.Fatalf("failed updates after shutdown: %v %v", ids, err)
	}
	ids, _, err := f.db.UnprocessedUpdates(f.ctx)
	if err != nil || fmt.Sprint(ids) != fmt.Sprint([]int64{ups[1].ID, ups[2].ID}) {
		t.Fatalf("unprocessed after shutdown: %v %v, want the last two", ids, err)
	}
	f.h.obs = nopObserver{}
	if n, err := f.h.Replay(f.ctx); err != nil || n != 2 {
		t.Fatalf("replay = %d, %v", n, err)
	}
	var ts []storage.Ticket
	if err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		ts, err = tx.Tickets(f.ctx, storage.TicketFilter{ResidentID: residentA})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(ts, func(a, b storage.Ticket) int { return cmp.Compare(a.ID, b.ID) })
	var texts []string
	for _, tk := range ts {
		texts = append(texts, tk.Text)
	}
	if fmt.Sprint(texts) != "[路灯坏了 垃圾没人收 井盖丢了]" {
		t.Errorf("tickets %q, want the three reports in the order sent", texts)
	}
}
