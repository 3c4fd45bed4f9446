package conversation

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
)

// A voice message is a ticket marked 语音, for the village cadre to listen
// to (the card, then the voice), unless its transcript says better; the
// resident is told who will call back, by role and name, never a phone.
func TestVoiceTickets(t *testing.T) {
	tests := []struct {
		name       string
		stt        bool
		transcript string // "" for none: off, or the transcriber fails
		text       string
		category   taxonomy.Category
		urgency    taxonomy.Urgency
		handler    int64
	}{
		{"transcription off", false, "", "[语音 8秒]", taxonomy.Other, taxonomy.Normal, cadreZhai},
		{"transcriber down", true, "", "[语音 8秒]", taxonomy.Other, taxonomy.Normal, cadreZhai},
		{"transcript of a water problem", true, "家里停水两天了", "[语音 8秒] 家里停水两天了", taxonomy.Water, taxonomy.Normal, 300000001},
		{"transcript says nothing routable", true, "喂 你好 我想问一下", "[语音 8秒] 喂 你好 我想问一下", taxonomy.Other, taxonomy.Normal, cadreZhai},
		{"transcript of something urgent", true, "门口井盖没了 太危险了", "[语音 8秒] 门口井盖没了 太危险了", taxonomy.Roads, taxonomy.Urgent, cadreZhai},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []fixtureOption
			if tc.stt {
				opts = append(opts, withSTT())
			}
			f := newFixture(t, opts...)
			if tc.transcript != "" {
				f.stt.words["v1"] = tc.transcript
			}
			f.start(cadreZhai, 300000001)
			f.register(residentA, "东片区", "翟各庄村")
			c := f.count(tc.handler)
			f.voice(residentA, "v1", 8)
			ts := f.tickets(residentA)
			if len(ts) != 1 {
				t.Fatalf("%d tickets", len(ts))
			}
			tk := ts[0]
			if tk.Text != tc.text || tk.Category != tc.category || tk.Urgency != tc.urgency || int64(tk.HandlerID) != tc.handler || tk.Voice != 8 {
				t.Errorf("ticket = %q %s %s handler %d voice %d", tk.Text, tk.Category, tk.Urgency, tk.HandlerID, tk.Voice)
			}
			checkVoiceDelivered(t, f, tk, c)
			if tc.stt && f.stt.calls != 1 {
				t.Errorf("transcribed %d times", f.stt.calls)
			}
		})
	}
}

// checkVoiceDelivered checks that the resident was told who will call
// back (never a phone), and that the handler got the card, then the voice,
// after their first c messages; and that the ticket keeps the voice.
func checkVoiceDelivered(t *testing.T, f *fixture, tk storage.Ticket, c int) {
	t.Helper()
	receipt := f.last(residentA)
	if receipt.Kind != notice.KindVoiceReceipt || !strings.Contains(receipt.Text, tk.Number) || !strings.Contains(receipt.Text, tk.HandlerName) ||
		!strings.Contains(receipt.Text, tk.HandlerRole.Chinese()) || strings.Contains(receipt.Text, "1392051") || strings.Contains(receipt.Text, "****") {
		t.Errorf("receipt = %q", receipt.Text)
	}
	got := f.since(int64(tk.HandlerID), c)
	if !slices.Equal(kinds(got), []string{notice.KindCard, notice.KindMediaCopy}) {
		t.Fatalf("handler got %v", kinds(got))
	}
	if !strings.Contains(got[0].Text, "🎤 语音留言 8 秒") || got[1].Method != "copy" || got[1].FromChat != residentA || got[1].FromMessageID != f.msg {
		t.Errorf("card %q, copy %+v", got[0].Text, got[1])
	}
	if ms := f.media(tk.ID); len(ms) != 1 || ms[0].Kind != storage.MediaVoice || ms[0].FileID != "v1" || ms[0].Duration != 8 {
		t.Errorf("media = %+v", ms)
	}
}

// Before registration a voice message waits for the village, like words,
// with its transcript taken when it came; an emergency in the transcript
// does not wait.
func TestVoiceBeforeRegistering(t *testing.T) {
	f := newFixture(t, withSTT())
	f.start(cadreZhai, centreHan)
	f.stt.words["v-water"] = "家里停水了"
	f.voice(residentA, "v-water", 5)
	if m := f.last(residentA); m.Kind != notice.KindMediaKept || !strings.Contains(m.Text, "语音") || len(m.Buttons) == 0 {
		t.Fatalf("told %s %q", m.Kind, m.Text)
	}
	f.voice(residentA, "v-silent", 3) // the transcriber fails on this one
	if len(f.tickets(residentA)) != 0 {
		t.Fatal("a ticket opened before registration")
	}
	f.press(residentA, "area:0:东片区")
	f.press(residentA, "vil:0:翟各庄村")
	ts := f.tickets(residentA)
	if len(ts) != 2 || ts[0].Text != "[语音 5秒] 家里停水了" || ts[0].Category != taxonomy.Water || ts[1].Text != "[语音 3秒]" ||
		int64(ts[1].HandlerID) != cadreZhai || ts[1].Voice != 3 {
		t.Fatalf("tickets = %+v", ts)
	}
	if f.stt.calls != 2 {
		t.Errorf("transcribed %d times, want once each on arrival", f.stt.calls)
	}
	var receipts int
	for _, m := range f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindVoiceReceipt}) {
		if m.TicketID == ts[0].ID || m.TicketID == ts[1].ID {
			receipts++
		}
	}
	if receipts != 2 {
		t.Errorf("%d voice receipts", receipts)
	}

	// An emergency said in a voice message is answered at once.
	f.stt.words["v-fire"] = "快来人啊 俺家柴火垛着火了"
	n := f.count(residentB)
	f.voice(residentB, "v-fire", 4)
	if got := kinds(f.since(residentB, n)); !slices.Equal(got, []string{notice.KindEmergencyAdvice, notice.KindVoiceReceipt, notice.KindEmergencyRegister}) {
		t.Errorf("resident B got %v", got)
	}
}

// Transcription happens before the write transaction: while it runs,
// another writer gets through (SQLite has one writer; were the update's
// transaction open, this write would wait for it, and time out).
func TestTranscriptionDoesNotHoldTheWriter(t *testing.T) {
	f := newFixture(t, withSTT())
	f.start(cadreZhai)
	f.register(residentA, "东片区", "翟各庄村")
	var writeErr error
	f.stt.during = func() {
		ctx, cancel := context.WithTimeout(f.ctx, 2*time.Second)
		defer cancel()
		writeErr = f.db.Update(ctx, func(tx *storage.Tx) error { return tx.TouchChat(ctx, 12345, "x", f.now) })
	}
	f.stt.words["v"] = "家里停水了"
	f.voice(residentA, "v", 4)
	if writeErr != nil {
		t.Fatalf("a write during transcription: %v", writeErr)
	}
	if ts := f.tickets(residentA); len(ts) != 1 || ts[0].Text != "[语音 4秒] 家里停水了" {
		t.Errorf("tickets = %+v", ts)
	}
}
