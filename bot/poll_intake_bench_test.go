package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"hotline/assets"
	"hotline/botsim"
	"hotline/conversation"
)

// handledCounter closes done once n updates were handled.
type handledCounter struct {
	nopObserver
	n     int64
	count atomic.Int64
	done  chan struct{}
}

func (c *handledCounter) UpdateHandled(time.Duration) {
	if c.count.Add(1) == c.n {
		close(c.done)
	}
}

// BenchmarkPollIntake is intake as the service does it in polling mode,
// seen from outside: messages from 1,000 registered residents wait at the
// stand-in Bot API (botsim, with Telegram's limits), and the real client
// long-polls them, journals each response in one transaction, and
// Dispatch handles them, several chats at once, sharing the writer's
// commits; the sender runs meanwhile with Telegram's limits. It reports
// messages handled per second, from the start of polling to the last
// commit, the sender's rate meanwhile and the largest WAL seen. Goals:
// ≥ 2,000 messages/s, the sender ≥ 24/s, the WAL < 64 MB.
//
//	go test ./bot -run '^$' -bench PollIntake -benchtime 3x
//	HOTLINE_BENCH_HEAVY=1 go test ./bot -run '^$' -bench PollIntake -benchtime 1x   # 20,000 messages
func BenchmarkPollIntake(b *testing.B) {
	n := size(5_000, 20_000)
	var rate, sends, wal float64
	for range b.N {
		r := pollIntake(b, n)
		rate, sends, wal = rate+r.rate, sends+r.sends, max(wal, r.walMB)
	}
	b.ReportMetric(float64(n), "messages")
	b.ReportMetric(rate/float64(b.N), "msgs/s")
	b.ReportMetric(sends/float64(b.N), "sends/s")
	b.ReportMetric(wal, "WAL-max-MB")
}

type pollResult struct{ rate, sends, walMB float64 }

func pollIntake(b *testing.B, n int) pollResult {
	b.StopTimer()
	env := newIntakeEnv(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sim := botsim.New(botsim.WithToken("1:poll"), botsim.WithRateLimits(botsim.TelegramLimits()))
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	defer sim.Close()
	for _, s := range env.a.Roster.Staff {
		sim.AddUser(botsim.User{ID: int64(s.TelegramID)})
	}
	residents := make([]botsim.User, intakeResidents)
	for i := range residents {
		residents[i] = botsim.User{ID: 9_000_001 + int64(i), FirstName: "居民"}
		sim.AddUser(residents[i])
	}
	for i := range n {
		// Varied texts, so that most messages open a ticket of their own
		// and some join an open one, as on a busy day.
		text := intakeTexts[i%len(intakeTexts)]
		if i%3 != 0 {
			text = fmt.Sprintf("%d号院：%s", i%97+1, text)
		}
		sim.SendText(residents[i%len(residents)], text)
	}
	client, err := NewClient(ClientConfig{Token: "1:poll", APIURL: srv.URL}, env.db, time.Now, log)
	if err != nil {
		b.Fatal(err)
	}
	api := &countAPI{SenderAPI: client}
	sender := NewSender(api, env.db, SystemClock{}, DefaultLimits(), nil, log)
	counter := &handledCounter{n: int64(n), done: make(chan struct{})}
	h := NewHandler(env.db, assets.Fixed{A: env.a}, conversation.New(env.svc, nil, nil, log), nil, sender, client, counter, time.Now, log)

	ctx, cancel := context.WithCancel(context.Background())
	sent := make(chan error, 1)
	go func() { sent <- sender.Run(ctx) }()
	polled := make(chan struct{})
	wal := sampleWAL(env.db.Path())
	b.StartTimer()
	start := time.Now()
	go func() {
		defer close(polled)
		Poll(ctx, client, h)
	}()
	select {
	case <-counter.done:
	case <-time.After(10 * time.Minute): // a hang, not a speed limit
		b.Fatalf("only %d of %d updates handled", counter.count.Load(), n)
	}
	took := time.Since(start)
	b.StopTimer()
	walMax := wal()
	cancel()
	<-polled
	<-sent
	return pollResult{rate: float64(n) / took.Seconds(), sends: float64(api.ok.Load()) / took.Seconds(), walMB: float64(walMax) / (1 << 20)}
}
