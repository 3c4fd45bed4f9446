package bot

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/botsim"
	"hotline/storage"
)

func (r *senderRig) campaign(chat int64, text string) int64 {
	return r.box.add(storage.OutboxMessage{ChatID: chat, Text: text, Lane: storage.LaneCampaign}, r.clock.Now())
}

// Ticket rows go before campaign rows queued earlier, also within one
// chat, while each lane keeps its own order.
func TestSenderTicketLaneGoesFirst(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits(), botsim.WithRateLimits(botsim.TelegramLimits()))
	for u := int64(1); u <= 200; u++ {
		rig.user(u)
		rig.campaign(u, fmt.Sprintf("停水通知 %d", u))
	}
	rig.user(9001)
	rig.campaign(5, "第二条通知")
	rig.send(5, "回执一")
	rig.send(5, "回执二")
	rig.send(9001, "工单卡片")
	rig.run()
	rig.settle(t)

	d := rig.sim.Deliveries()
	first := map[int64]int{}
	for i, x := range d {
		if _, ok := first[x.ChatID]; !ok {
			first[x.ChatID] = i
		}
	}
	// The first calls go out together (the global burst), the ticket
	// rows among them.
	if b := DefaultLimits().Global.Burst; first[9001] >= b || first[5] >= b {
		t.Fatalf("ticket rows were delivered at %d and %d, want among the first %d", first[9001], first[5], b)
	}
	if got := texts(rig.sim.Messages(5)); !slices.Equal(got, []string{"回执一", "回执二", "停水通知 5", "第二条通知"}) {
		t.Fatalf("chat 5 got %v", got)
	}
	if rig.sim.Throttled() != 0 {
		t.Fatalf("%d calls refused with 429", rig.sim.Throttled())
	}
	if rig.obs.sent[storage.LaneTicket] != 3 || rig.obs.sent[storage.LaneCampaign] != 201 {
		t.Fatalf("observed sends %v", rig.obs.sent)
	}
}

// A card queued in the middle of a broadcast overtakes what the
// broadcast still has queued: it goes within a second (virtual time),
// while campaign rows are still waiting.
func TestSenderCardOvertakesBroadcast(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits(), botsim.WithRateLimits(botsim.TelegramLimits()))
	const residents = 1000
	for u := int64(1); u <= residents; u++ {
		rig.user(u)
		rig.campaign(u, "防汛通知")
	}
	rig.user(9001)
	var (
		once    sync.Once
		card    int64
		queued  time.Time
		marked  int
		cardSet = make(chan struct{})
	)
	rig.box.onMark = func(int64) {
		if marked++; marked == 300 {
			once.Do(func() {
				queued = rig.clock.Now()
				card = rig.send(9001, "新工单：村口水管爆裂")
				rig.sender.Notify()
				close(cardSet)
			})
		}
	}
	rig.run()
	rig.settle(t)
	<-cardSet
	at := rig.sim.SendTimes(9001)
	if len(at) != 1 {
		t.Fatalf("card sent %d times", len(at))
	}
	if wait := at[0].Sub(queued); wait > time.Second {
		t.Fatalf("the card waited %v behind the broadcast", wait)
	}
	after := 0
	for _, x := range rig.sim.Deliveries() {
		if x.ChatID != 9001 && x.At.After(at[0]) {
			after++
		}
	}
	if after < residents/2 {
		t.Fatalf("only %d campaign messages went after the card: it did not overtake", after)
	}
	if r := rig.box.get(card); r.status != storage.OutboxSent {
		t.Fatalf("card = %+v", r)
	}
}

// A 429 for a chat that was just written to, while other chats are being
// accepted, pauses only that chat, for retry_after; the global rate stays.
func TestSenderChatFloodPausesOnlyThatChat(t *testing.T) {
	// One call at a time: the virtual clock jumps to the sender's next
	// timer as soon as it is set, and with calls of other chats in flight
	// that timer would be chat 11's pause.
	lim := DefaultLimits()
	lim.InFlight = 1
	rig := newSenderRig(t, lim)
	for _, u := range []int64{11, 12, 13} {
		rig.user(u)
		rig.send(u, "第一条")
	}
	rig.run()
	rig.settle(t)
	rig.sim.FailChat(11, 1, 429, 10)
	t0 := rig.clock.Now()
	for _, u := range []int64{11, 12, 13} {
		rig.send(u, "第二条")
		rig.send(u, "第三条")
	}
	rig.sender.Notify()
	rig.settle(t)

	for _, u := range []int64{12, 13} {
		for _, at := range rig.sim.SendTimes(u)[1:] {
			if at.Sub(t0) >= 10*time.Second {
				t.Errorf("chat %d waited %v: another chat's 429 held it up", u, at.Sub(t0))
			}
		}
	}
	at := rig.sim.SendTimes(11)
	if len(at) != 3 || at[1].Sub(t0) < 10*time.Second {
		t.Fatalf("chat 11 sent at %v, want its second message at least 10 s after %v", at, t0)
	}
	if got := texts(rig.sim.Messages(11)); !slices.Equal(got, []string{"第一条", "第二条", "第三条"}) {
		t.Fatalf("chat 11 got %v", got)
	}
	if h := rig.box.history; h.Rate != 0 {
		t.Fatalf("a chat's 429 changed the global rate to %v", h.Rate)
	}
	if len(rig.box.retries) != 0 {
		t.Fatalf("a flood wait counted as an attempt: %+v", rig.box.retries)
	}
	if got := rig.obs.refused[storage.LaneTicket]; !slices.Equal(got, []int{429}) {
		t.Fatalf("observed refusals %v", got)
	}
}

// Two chats refused within a second are the bot's limit, not theirs:
// everything pauses for retry_after and the global rate is cut.
func TestSenderFloodOfTwoChatsIsTheBots(t *testing.T) {
	lim := DefaultLimits()
	lim.InFlight = 1
	rig := newSenderRig(t, lim)
	for _, u := range []int64{11, 12, 13} {
		rig.user(u)
		rig.send(u, "第一条")
	}
	rig.run()
	rig.settle(t)
	rig.sim.FailChat(11, 1, 429, 6)
	rig.sim.FailChat(12, 1, 429, 6)
	t0 := rig.clock.Now()
	for _, u := range []int64{11, 12, 13} {
		rig.send(u, "第二条")
	}
	rig.sender.Notify()
	rig.settle(t)

	if at := rig.sim.SendTimes(13); at[1].Sub(t0) < 6*time.Second {
		t.Fatalf("chat 13 sent %v after the storm began, want a pause of 6 s", at[1].Sub(t0))
	}
	// Cut once, then raised a hair by the messages accepted since.
	if h := rig.box.history; h.Rate < 25*cutFactor || h.Rate > 25*cutFactor+0.1 {
		t.Fatalf("saved rate = %v, want about %v", h.Rate, 25*cutFactor)
	}
}

// A call whose answer is lost may have been delivered: the row is tried
// again after its backoff, and Telegram may show it twice, but it is never
// lost, and it is recorded with the message id of the copy acknowledged.
func TestSenderLostAnswer(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	rig.user(11)
	rig.api.lose = 1
	id := rig.send(11, "您的诉求已受理")
	rig.run()
	rig.settle(t)
	ms := rig.sim.Messages(11)
	if len(ms) != 2 || ms[0].Text != ms[1].Text {
		t.Fatalf("messages %v, want the text twice", texts(ms))
	}
	r := rig.box.get(id)
	if r.status != storage.OutboxSent || len(r.ids) != 1 || r.ids[0] != ms[1].ID || r.msg.Attempts != 2 {
		t.Fatalf("row = %+v", r)
	}
	if len(rig.box.retries) != 1 || !strings.Contains(rig.box.retries[0].reason, "connection reset") {
		t.Fatalf("retries = %+v", rig.box.retries)
	}
	if got := rig.obs.refused[storage.LaneTicket]; !slices.Equal(got, []int{0}) {
		t.Fatalf("observed refusals %v, want one without a status", got)
	}
}

// A crash after Telegram's OK and before the outcome reached the disk
// sends the row again after the restart, once; it is never lost.
func TestSenderCrashBetweenOKAndRecord(t *testing.T) {
	rig := newSenderRig(t, DefaultLimits())
	rig.user(11)
	rig.box.lose = true
	reached := make(chan struct{})
	var once sync.Once
	rig.box.onRecord = func(b storage.SendBatch) {
		for _, op := range b.Ops {
			if op.Kind == storage.OpSent {
				once.Do(func() { close(reached) })
			}
		}
	}
	id := rig.send(11, "工单已办结，请评价")
	rig.run()
	<-reached
	rig.stop()
	if r := rig.box.get(id); r.status != storage.OutboxPending || rig.sim.Sent() != 1 {
		t.Fatalf("after the crash: row %+v, sent %d", r, rig.sim.Sent())
	}

	rig.box.mu.Lock()
	rig.box.lose = false
	rig.box.mu.Unlock()
	rig.run()
	rig.settle(t)
	ms := rig.sim.Messages(11)
	r := rig.box.get(id)
	if len(ms) != 2 || r.status != storage.OutboxSent || r.marks != 1 || r.ids[0] != ms[1].ID {
		t.Fatalf("after the restart: %d messages, row %+v", len(ms), r)
	}
}

// A restart in the middle of traffic that runs at the chats' and groups'
// own limits: with the limiter's history restored the new sender waits as
// Telegram still counts; with it forgotten, it bursts into 429s.
func TestSenderRestartWithoutBurst(t *testing.T) {
	for _, remember := range []bool{true, false} {
		t.Run(fmt.Sprintf("history=%v", remember), func(t *testing.T) {
			refused, sent := restartMidStream(t, remember)
			switch {
			case remember && refused != 0:
				t.Fatalf("%d calls refused with 429 after a restart with history", refused)
			case !remember && refused == 0:
				t.Fatal("no 429 after a restart without history: the test shows nothing")
			}
			if sent != restartTraffic {
				t.Fatalf("%d messages, want %d", sent, restartTraffic)
			}
		})
	}
}

// restartTraffic is what restartMidStream sends: 20 messages to each of
// 10 chats and 25 to each of 3 groups, more than their own limits let
// through at once.
const restartTraffic = 10*20 + 3*25

// restartMidStream stops the sender after 100 messages of restartTraffic
// and starts it again at once, remembering the limiter's history or not.
// It returns the 429s after the restart and the messages delivered.
func restartMidStream(tb testing.TB, remember bool) (refused, sent int) {
	rig := newSenderRig(tb, DefaultLimits(), botsim.WithRateLimits(botsim.TelegramLimits()))
	for g := int64(1); g <= 3; g++ {
		if err := rig.sim.AddGroup(-g, "网格群"); err != nil {
			tb.Fatal(err)
		}
	}
	for u := int64(1); u <= 10; u++ {
		rig.user(u)
	}
	for i := range 25 {
		for g := int64(1); g <= 3; g++ {
			rig.send(-g, fmt.Sprintf("群通知 %d", i))
		}
		for u := int64(1); u <= 10 && i < 20; u++ {
			rig.send(u, fmt.Sprintf("消息 %d", i))
		}
	}
	reached := make(chan struct{})
	var once sync.Once
	marked := 0
	rig.box.onMark = func(int64) { // the recorder's goroutine, one batch at a time
		if marked++; marked == 100 {
			once.Do(func() { close(reached) })
		}
	}
	rig.run()
	<-reached
	rig.stop()
	if !remember {
		rig.box.mu.Lock()
		rig.box.history = storage.SenderHistory{}
		rig.box.mu.Unlock()
	}
	before := rig.sim.Throttled()
	rig.run()
	rig.settle(tb)
	rig.stop()
	return rig.sim.Throttled() - before, rig.sim.Sent()
}

// With Telegram allowing fewer messages than configured, the sender lowers
// its rate after the first 429s instead of being refused again and again.
func TestSenderAdaptsToA429Storm(t *testing.T) {
	lim := DefaultLimits()
	rig := newSenderRig(t, lim, botsim.WithRateLimits(botsim.RateLimits{
		PerChat: botsim.Bucket{Every: time.Second, Burst: 3},
		Global:  botsim.Window{N: 12, Per: time.Second}, // half what the sender is configured for
	}))
	const n = 1500
	for u := int64(1); u <= n; u++ {
		rig.user(u)
		rig.campaign(u, "年终满意度调查")
	}
	rig.run()
	rig.settle(t)
	calls, refused := rig.sim.CallCount("sendMessage"), rig.sim.Throttled()
	if rig.sim.Sent() != n {
		t.Fatalf("sent %d of %d", rig.sim.Sent(), n)
	}
	if share := float64(refused) / float64(calls); share > 0.15 {
		t.Fatalf("%d of %d calls refused (%.0f%%)", refused, calls, 100*share)
	}
	if h := rig.box.history; h.Rate <= 0 || h.Rate >= 25 {
		t.Fatalf("saved rate %v, want it lowered", h.Rate)
	}
}

// Ticket rows beyond those the sender holds still go before campaign
// rows: when every held ticket row waits for its chat's limit, it reads
// more ticket rows before a campaign row takes the slot.
func TestSenderReadsOnBeforeCampaigns(t *testing.T) {
	lim := DefaultLimits()
	lim.Batch = 10
	rig := newSenderRig(t, lim)
	rig.user(1)
	for i := range 25 {
		rig.send(1, fmt.Sprintf("卡片 %d", i)) // one cadre's cards: a second apart after a burst of 3
	}
	for u := int64(2); u <= 6; u++ {
		rig.user(u)
		rig.send(u, "回执")
	}
	for u := int64(100); u < 150; u++ {
		rig.user(u)
		rig.campaign(u, "通知")
	}
	rig.run()
	rig.settle(t)
	// Calls in flight together may come back in any order: compare the
	// (virtual) times they were accepted at.
	var firstCampaign, lastReceipt time.Time
	for _, x := range rig.sim.Deliveries() {
		switch {
		case x.ChatID >= 100 && firstCampaign.IsZero():
			firstCampaign = x.At
		case x.ChatID >= 2 && x.ChatID <= 6:
			lastReceipt = x.At
		}
	}
	if firstCampaign.IsZero() || lastReceipt.IsZero() || lastReceipt.After(firstCampaign) {
		t.Fatalf("last receipt delivered at %v, first campaign message at %v", lastReceipt.Sub(rig.start0), firstCampaign.Sub(rig.start0))
	}
	if got := texts(rig.sim.Messages(1)); len(got) != 25 || got[24] != "卡片 24" {
		t.Fatalf("cadre got %v", got)
	}
}
