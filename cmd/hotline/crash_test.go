package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/bot"
	"hotline/botsim"
	"hotline/storage"
)

// "hotline serve" is killed with SIGKILL several times while residents'
// messages come in by long polling from the strict Bot API stand-in, and
// then runs once more until every message is answered. The product's
// rule is that an update is journalled before it is acknowledged to
// Telegram and replayed at start if it was not processed, and that an
// outgoing message is an outbox row of the same transaction as its cause,
// sent from there. So, whatever the moment of the kill:
//
//  1. nothing is lost: every message has its ticket, its resident the
//     receipt and its handler the card;
//  2. nothing is processed twice: no message has two tickets;
//  3. sends repeat only when a kill fell between Telegram's OK and the
//     commit of sent_at, at most bot.Limits.InFlight calls a kill.
//
// The kills alternate between the moment the bot acknowledges a burst of
// updates (from then on only the journal has them, and most are still
// being handled) and the moment Telegram accepts a message whose answer
// never reaches the bot (it must be sent again: the one repeat the rule
// allows). The messages are released as the bot answers, so intake goes
// on through every run; what each kill left behind is logged. The
// stand-in enforces Telegram's flood limits.
//
//	go test ./cmd/hotline -run KilledMidIntake -v                           # 150 messages, 3 kills
//	HOTLINE_BENCH_HEAVY=1 go test ./cmd/hotline -run KilledMidIntake -v     # 600 messages, 5 kills
func TestServeKilledMidIntake(t *testing.T) {
	start := time.Now()
	load := crashSize()
	db := filepath.Join(t.TempDir(), "crash.db")
	residents := prepareCrashDB(t, db, load.residents)
	sim := botsim.New(botsim.WithToken(crashToken), botsim.WithRateLimits(botsim.TelegramLimits()))
	probe := newBotProbe()
	srv := httptest.NewServer(probe.wrap(sim.Handler()))
	defer srv.Close()
	defer sim.Close()
	staff := staffIDs()
	for _, id := range staff {
		sim.AddUser(botsim.User{ID: id, FirstName: "工作人员"})
	}
	for _, u := range residents {
		sim.AddUser(u)
	}
	feed := &feeder{sim: sim, msgs: crashMessages(residents, load.messages), load: load}
	feed.top()
	// A hang, not a speed limit: the sender alone needs about 80 ms a message.
	guard := time.Minute + time.Duration(load.messages)*200*time.Millisecond

	var cutOff []sentMsg // accepted as serve died: sent again
	for k := 1; k <= load.kills; k++ {
		p := startServeProc(t, db, srv.URL)
		at := killPoint(load, k)
		probe.waitWithin(t, fmt.Sprintf("run %d: %d bot messages", k, at), guard, func() bool {
			feed.top()
			return sim.Sent() >= at
		})
		var how string
		if k%2 == 1 {
			how = killAtAck(t, p, probe, sim, feed, guard)
		} else {
			m := killAtSend(t, p, probe, guard)
			cutOff = append(cutOff, m)
			how = fmt.Sprintf("as Telegram accepted a message to %d", m.chat)
		}
		st := readCrashDB(t, db)
		t.Logf("kill %d %s, after %d bot messages: %d of %d messages sent to the bot; at start it replayed %d; now %d tickets, %d updates journalled and not processed, %d ticket messages pending",
			k, how, sim.Sent(), feed.next, len(feed.msgs), p.replayed(), st.tickets, st.unprocessed, st.pending)
	}

	p := startServeProc(t, db, srv.URL)
	probe.waitWithin(t, "every receipt and card", guard, func() bool {
		feed.top()
		return outstanding(sim, feed.msgs, staff) == 0
	})
	p.stop(t)
	t.Logf("last run replayed %d updates at start", p.replayed())

	tickets := checkCrashDB(t, db, feed.msgs)
	checkDelivered(t, sim, tickets)
	repeats := repeatedMessages(sim, append(staff, userIDs(residents)...))
	bound := bot.DefaultLimits().InFlight * load.kills
	t.Logf("%d messages, %d kills: %d bot messages (%d repeated; at most %d allowed; %d refused with 429) in %v",
		len(feed.msgs), load.kills, sim.Sent(), repeats, bound, sim.Throttled(), time.Since(start).Round(time.Millisecond))
	for _, m := range cutOff {
		if n := count(sim.Messages(m.chat), m.text); n < 2 {
			t.Errorf("the message Telegram accepted as serve died was sent %d times, not again: %d %q", n, m.chat, m.text)
		}
	}
	if repeats > bound {
		t.Errorf("%d bot messages were repeated; %d kills with %d sends in flight allow at most %d", repeats, load.kills, bound/load.kills, bound)
	}
}

// killPoint is the number of bot messages after which run k is killed:
// spread over the time messages are still coming in, between two
// releases of the feeder.
func killPoint(load crashLoad, k int) int {
	return 2*k*(load.messages-load.window)/load.kills - load.burst
}

func userIDs(us []botsim.User) []int64 {
	out := make([]int64, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

// receiptPrefix starts a resident's receipt for a new ticket, before its number.
const receiptPrefix = "已收到您反映的问题，工单编号："

// outstanding counts the receipts and cards not yet in the stand-in's
// chats: a resident has one receipt per message, and every message is
// quoted on a staff member's card.
func outstanding(sim *botsim.Server, msgs []crashMsg, staff []int64) int {
	want := map[int64]int{}
	quoted := map[string]bool{}
	for _, m := range msgs {
		want[m.from.ID]++
	}
	for _, id := range staff {
		for _, m := range sim.Messages(id) {
			if _, text, ok := strings.Cut(m.Plain, "诉求："); ok {
				text, _, _ = strings.Cut(text, "\n")
				quoted[text] = true
			}
		}
	}
	n := 0
	for _, m := range msgs {
		if !quoted[m.text] {
			n++
		}
	}
	for id, w := range want {
		numbers := map[string]bool{}
		for _, m := range sim.Messages(id) {
			if _, num, ok := strings.Cut(m.Plain, receiptPrefix); ok {
				num, _, _ = strings.Cut(num, "\n")
				numbers[num] = true
			}
		}
		n += max(0, w-len(numbers))
	}
	return n
}

// checkCrashDB checks the database after the last run: every message has
// exactly one ticket of its own, no update waits, nothing waits to be
// sent. It returns the tickets.
func checkCrashDB(t *testing.T, db string, msgs []crashMsg) []storage.Ticket {
	t.Helper()
	ctx := context.Background()
	store, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var tickets []storage.Ticket
	if err := store.View(ctx, func(tx *storage.Tx) error {
		tickets, err = tx.Tickets(ctx, storage.TicketFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	type key struct {
		resident int64
		text     string
	}
	opened := map[key][]string{}
	for _, tk := range tickets {
		k := key{tk.ResidentID, tk.Text}
		opened[k] = append(opened[k], tk.Number)
		if tk.LinkedTo != 0 {
			// Not a failure of the service: the test's texts must be
			// different problems, or receipts and cards are not one a ticket.
			t.Errorf("ticket %s (%q) was linked to another; make the test's texts different problems", tk.Number, tk.Text)
		}
	}
	for _, m := range msgs {
		switch n := opened[key{m.from.ID, m.text}]; len(n) {
		case 1:
		case 0:
			t.Errorf("lost: %d's message %q has no ticket", m.from.ID, m.text)
		default:
			t.Errorf("processed twice: %d's message %q has tickets %v", m.from.ID, m.text, n)
		}
	}
	if len(tickets) != len(msgs) {
		t.Errorf("%d tickets for %d messages", len(tickets), len(msgs))
	}
	if ids, _, err := store.UnprocessedUpdates(ctx); err != nil || len(ids) > 0 {
		t.Errorf("updates journalled and never processed: %v %v", ids, err)
	}
	// Campaign rows wait behind ticket rows: at the heavy size, clusters
	// of one category in a village are reported to their cadres, and the
	// test stops before those go.
	if b, err := store.OutboxBacklog(ctx, time.Now()); err != nil || b.Pending[storage.LaneTicket] > 0 {
		t.Errorf("ticket messages still pending after a clean stop: %v %v", b.Pending, err)
	}
	return tickets
}

// checkDelivered checks that each ticket's receipt reached its resident
// and its card its handler.
func checkDelivered(t *testing.T, sim *botsim.Server, tickets []storage.Ticket) {
	t.Helper()
	for _, tk := range tickets {
		if _, ok := botMessage(sim, tk.ResidentID, receiptPrefix+tk.Number+"\n"); !ok {
			t.Errorf("resident %d has no receipt for ticket %s", tk.ResidentID, tk.Number)
		}
		if _, ok := botMessage(sim, int64(tk.HandlerID), "工单 "+tk.Number); !ok {
			t.Errorf("handler %d has no card for ticket %s", tk.HandlerID, tk.Number)
		}
	}
}

// count is how many of msgs say text (as sent: HTML).
func count(msgs []botsim.Message, text string) int {
	n := 0
	for _, m := range msgs {
		if m.Text == text {
			n++
		}
	}
	return n
}

// repeatedMessages counts the bot's messages that repeat an earlier one
// in the same chat, word for word: every message the hotline sends here
// names its own ticket, so a repeat is a send made twice.
func repeatedMessages(sim *botsim.Server, chats []int64) int {
	n := 0
	for _, id := range chats {
		seen := map[string]bool{}
		for _, m := range sim.Messages(id) {
			if seen[m.Text] {
				n++
			}
			seen[m.Text] = true
		}
	}
	return n
}
