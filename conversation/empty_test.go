package conversation

import (
	"testing"

	"hotline/notice"
	"hotline/storage"
)

func TestMeaningless(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"", true},
		{"   \n\t", true},
		{"👍👍🙏", true},
		{"\u200b\u200d\ufeff\u2060", true},
		{"/", true},
		{"。。。？！……", true},
		{"😭😭😭 ！！！", true},
		{"❤️", true},
		{"？停水", false},
		{"110", false},
		{"ok", false},
		{"👍 路灯好了", false},
	}
	for _, tt := range tests {
		if got := meaningless(tt.text); got != tt.want {
			t.Errorf("meaningless(%q) = %v", tt.text, got)
		}
	}
}

// A message with nothing to read gets the kind question, whoever sends
// it, and keeps nothing: no ticket, no text waiting for registration.
func TestEmptyMessagesGetAKindQuestion(t *testing.T) {
	f := newFixture(t)
	f.register(residentB, "西片区", "梁家务村")
	for _, who := range []int64{residentA, residentB} {
		for _, in := range []Inbound{
			{UserID: who, Message: true, Text: "👍🙏"},
			{UserID: who, Message: true, Text: "\u200b\u200b"},
			{UserID: who, Message: true, Text: "/"},
			{UserID: who, Message: true, Text: "。。。"},
			{UserID: who, Message: true}, // a sticker, a document
		} {
			f.handle(in)
			if m := f.last(who); m.Kind != notice.KindAskWhat || m.Text != notice.AskWhatText {
				t.Errorf("%d %q: %s %q", who, in.Text, m.Kind, m.Text)
			}
		}
		if ts := f.tickets(who); len(ts) != 0 {
			t.Errorf("%d: %d tickets", who, len(ts))
		}
	}
	f.view(func(tx *storage.Tx) error {
		if p, ok, err := tx.LastPendingText(f.ctx, residentA); ok || err != nil {
			t.Errorf("kept %q, %v", p.Text, err)
		}
		return nil
	})
}
