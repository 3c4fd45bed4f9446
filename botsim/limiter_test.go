package botsim

import (
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestLimiterUnit(t *testing.T) {
	type step struct {
		at        time.Duration // since start
		chat      int64
		wantOK    bool
		wantRetry int
	}
	tests := []struct {
		name   string
		limits RateLimits
		steps  []step
	}{
		{"off", RateLimits{}, []step{{0, 1, true, 0}, {0, 1, true, 0}, {0, 1, true, 0}, {0, 1, true, 0}}},
		{"per chat burst of 3 then 1/s", RateLimits{PerChat: Bucket{Every: time.Second, Burst: 3}}, []step{
			{0, 1, true, 0}, {0, 1, true, 0}, {0, 1, true, 0},
			{0, 1, false, 1},                      // fourth at once: wait for one token
			{0, 2, true, 0},                       // other chats are independent
			{999 * time.Millisecond, 1, false, 1}, // not yet
			{time.Second, 1, true, 0},
			{time.Second, 1, false, 1},
			{5 * time.Second, 1, true, 0}, // idle refills up to the burst only
			{5 * time.Second, 1, true, 0},
			{5 * time.Second, 1, true, 0},
			{5 * time.Second, 1, false, 1},
		}},
		{"group 3 per minute window", RateLimits{PerGroup: Window{N: 3, Per: time.Minute}}, []step{
			{0, -5, true, 0}, {10 * time.Second, -5, true, 0}, {20 * time.Second, -5, true, 0},
			{30 * time.Second, -5, false, 30}, // the first leaves the window at 60 s
			{30 * time.Second, 7, true, 0},    // private chats are not groups
			{60 * time.Second, -5, true, 0},
		}},
		{"global 2 per second", RateLimits{Global: Window{N: 2, Per: time.Second}}, []step{
			{0, 1, true, 0}, {0, 2, true, 0}, {500 * time.Millisecond, 3, false, 1}, {time.Second, 3, true, 0},
		}},
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lm := newLimiter(tt.limits)
			refused := 0
			for i, st := range tt.steps {
				retry, ok := lm.allow(st.chat, start.Add(st.at))
				if ok != st.wantOK || retry != st.wantRetry {
					t.Fatalf("step %d: allow = (%d, %v), want (%d, %v)", i, retry, ok, st.wantRetry, st.wantOK)
				}
				if !ok {
					refused++
				}
			}
			if lm.throttled != refused {
				t.Fatalf("throttled = %d, want %d", lm.throttled, refused)
			}
		})
	}
}

func TestStrictLimiterOverHTTP(t *testing.T) {
	clk := newFakeClock()
	s, ts := newTestServer(t, WithClock(clk), WithRateLimits(TelegramLimits()))
	for id := int64(1); id <= 40; id++ {
		s.AddUser(User{ID: id})
	}
	send := func(chat int64) reply {
		return call(t, ts, "sendMessage", url.Values{"chat_id": {strconv.FormatInt(chat, 10)}, "text": {"群发"}})
	}
	for range 3 {
		if r := send(1); !r.OK {
			t.Fatal(r.Description)
		}
	}
	r := send(1)
	if r.ErrorCode != 429 || r.Parameters.RetryAfter != 1 || r.Description != "Too Many Requests: retry after 1" {
		t.Fatalf("fourth send = %+v", r)
	}
	// 27 more chats fill the global 30/s window.
	for id := int64(2); id <= 28; id++ {
		if r := send(id); !r.OK {
			t.Fatalf("chat %d: %s", id, r.Description)
		}
	}
	if r := send(29); r.ErrorCode != 429 {
		t.Fatalf("31st send in a second = %+v", r)
	}
	if s.Throttled() != 2 || s.Sent() != 30 {
		t.Fatalf("throttled = %d, sent = %d", s.Throttled(), s.Sent())
	}
	clk.Advance(time.Second)
	if r := send(29); !r.OK {
		t.Fatal(r.Description)
	}
	// Edits count too: a burst of three sends leaves no room for an edit.
	clk.Advance(time.Second)
	for range 3 {
		if r := send(30); !r.OK {
			t.Fatal(r.Description)
		}
	}
	if r := call(t, ts, "editMessageText", url.Values{"chat_id": {"30"}, "message_id": {"1"}, "text": {"改"}}); r.ErrorCode != 429 {
		t.Fatalf("edit over the limit = %+v", r)
	}
	clk.Advance(time.Second)
	if r := call(t, ts, "editMessageText", url.Values{"chat_id": {"30"}, "message_id": {"1"}, "text": {"改"}}); !r.OK {
		t.Fatal(r.Description)
	}
	s.SetRateLimits(RateLimits{})
	for range 5 {
		if r := send(1); !r.OK {
			t.Fatal(r.Description)
		}
	}
	if s.Throttled() != 3 {
		t.Fatalf("throttled after reset = %d", s.Throttled())
	}
}
