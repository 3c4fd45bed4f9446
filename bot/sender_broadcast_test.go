package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"hotline/botsim"
	"hotline/storage"
)

// TestSenderBroadcastUnderStrictLimits sends 2,000 messages to 464 chats (4
// of them groups) through botsim's strict flood limiter: nothing is lost or
// duplicated, no 429 is provoked, and the rates measured from botsim's own
// timestamps stay within the sender's limits.
func TestSenderBroadcastUnderStrictLimits(t *testing.T) {
	lim := DefaultLimits()
	rig := newSenderRig(t, lim, botsim.WithRateLimits(botsim.TelegramLimits()))
	const users, perUser, groups, perGroup = 460, 4, 4, 40
	var chats []int64
	for u := int64(1); u <= users; u++ {
		rig.user(u)
		chats = append(chats, u)
	}
	for g := int64(1); g <= groups; g++ {
		if err := rig.sim.AddGroup(-g, fmt.Sprintf("网格群%d", g)); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int64][]string{}
	add := func(chat int64, text string) {
		rig.send(chat, text)
		want[chat] = append(want[chat], text)
	}
	for round := range perUser {
		for _, c := range chats {
			add(c, fmt.Sprintf("第%d轮通知 %d", round, c))
		}
		for g := int64(1); g <= groups; g++ {
			for i := range perGroup / perUser {
				add(-g, fmt.Sprintf("群消息 %d-%d", round, i))
			}
		}
	}
	rig.run()
	rig.settle(t)

	total := users*perUser + groups*perGroup
	if got := rig.sim.Sent(); got != total {
		t.Fatalf("sent %d, want %d", got, total)
	}
	if n := rig.sim.CallCount("sendMessage"); n != total || rig.sim.Throttled() != 0 {
		t.Fatalf("%d calls for %d messages, %d refused with 429", n, total, rig.sim.Throttled())
	}
	for chat, texts := range want {
		var got []string
		for _, m := range rig.sim.Messages(chat) {
			got = append(got, m.Text)
		}
		if !slices.Equal(got, texts) {
			t.Fatalf("chat %d got %v, want %v (lost, duplicated or out of order)", chat, got, texts)
		}
	}
	d := rig.sim.Deliveries()
	checkRates(t, d, lim)
	elapsed := d[len(d)-1].At.Sub(rig.start0)
	t.Logf("%d messages in %v of virtual time (%.1f/s)", total, elapsed, float64(total)/elapsed.Seconds())
	if floor := time.Duration(total-lim.Global.Burst) * lim.Global.Every; elapsed < floor {
		t.Fatalf("finished in %v, faster than the global limit allows (%v)", elapsed, floor)
	}
}

// checkRates replays botsim's timestamps through an independent check of
// each of the sender's token buckets (the generic cell rate algorithm).
func checkRates(t *testing.T, d []botsim.Delivery, lim Limits) {
	t.Helper()
	byChat := map[int64][]time.Time{}
	var all []time.Time
	for _, x := range d {
		byChat[x.ChatID] = append(byChat[x.ChatID], x.At)
		all = append(all, x.At)
	}
	checkBucket(t, "global", all, lim.Global)
	for chat, ts := range byChat {
		checkBucket(t, fmt.Sprintf("chat %d", chat), ts, lim.PerChat)
		if chat < 0 {
			checkBucket(t, fmt.Sprintf("group %d", chat), ts, lim.PerGroup)
		}
	}
}

func checkBucket(t *testing.T, what string, ts []time.Time, r Rate) {
	t.Helper()
	var tat time.Time
	tolerance := time.Duration(r.Burst-1) * r.Every
	for i, at := range ts {
		if !tat.IsZero() && at.Before(tat.Add(-tolerance)) {
			t.Errorf("%s: message %d at %v exceeds one per %v with burst %d", what, i, at, r.Every, r.Burst)
			return
		}
		tat = maxTime(tat, at).Add(r.Every)
	}
}

// BenchmarkSenderThroughput measures the sender, the go-telegram/bot client
// and botsim together on loopback, with no rate limits: the cost per message
// of the sending machinery itself.
func BenchmarkSenderThroughput(b *testing.B) {
	sim := botsim.New()
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	client, err := tg.New("1:bench", tg.WithServerURL(srv.URL), tg.WithSkipGetMe())
	if err != nil {
		b.Fatal(err)
	}
	const chats = 100
	for c := int64(1); c <= chats; c++ {
		sim.AddUser(botsim.User{ID: c})
	}
	box := newMemOutbox()
	now := time.Now()
	for i := range b.N {
		box.add(storage.OutboxMessage{ChatID: int64(i%chats) + 1, Text: "<b>通知</b> 明天上午停水"}, now)
	}
	s := NewSender(client, box, SystemClock{}, Limits{InFlight: 8}, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	b.ResetTimer()
	start := time.Now()
	go func() { done <- s.Run(ctx) }()
	if err := box.waitSettled(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
	b.StopTimer()
	cancel()
	<-done
	if sim.Sent() != b.N {
		b.Fatalf("sent %d of %d", sim.Sent(), b.N)
	}
}
