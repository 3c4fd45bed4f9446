package bot

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"hotline/notice"
	"hotline/storage"
)

// Input the hotline cannot use gets a short polite answer, or nothing where
// nobody is waiting for one, and never a ticket or a changed state.
func TestBadInputIsAnsweredAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "路灯坏了")
	u := f.user(residentA)
	group := models.Chat{ID: -1001, Type: models.ChatTypeSupergroup, Title: "翟各庄村民群"}

	tests := []struct {
		name string
		upd  func() *models.Update
		kind string // the reply to the resident; "" for none
	}{
		{"sticker", func() *models.Update {
			return f.message(residentA, models.Message{Sticker: &models.Sticker{FileID: "s", Emoji: "👍"}})
		}, notice.KindAskWhat},
		{"document without caption", func() *models.Update {
			return f.message(residentA, models.Message{Document: &models.Document{FileID: "d", FileName: "a.pdf"}})
		}, notice.KindAskWhat},
		{"only spaces", func() *models.Update { return f.message(residentA, models.Message{Text: " \n\t "}) }, notice.KindAskWhat},
		{"only emoji", func() *models.Update { return f.message(residentA, models.Message{Text: "👍🙏😭"}) }, notice.KindAskWhat},
		{"zero-width characters", func() *models.Update { return f.message(residentA, models.Message{Text: "\u200b\u200d\ufeff"}) }, notice.KindAskWhat},
		{"a bare slash", func() *models.Update { return f.message(residentA, models.Message{Text: "/"}) }, notice.KindAskWhat},
		{"only punctuation", func() *models.Update { return f.message(residentA, models.Message{Text: "。。。？？！"}) }, notice.KindAskWhat},
		{"unknown command", func() *models.Update { return f.message(residentA, models.Message{Text: "/nuke all"}) }, notice.KindHelp},
		{"/ticket garbage", func() *models.Update {
			return f.message(residentA, models.Message{Text: "/ticket ';DROP TABLE tickets;--"})
		}, notice.KindRefusal},
		{"/ticket huge number", func() *models.Update {
			return f.message(residentA, models.Message{Text: "/ticket 2026-99999999999999999999"})
		}, notice.KindRefusal},
		{"group chatter", func() *models.Update {
			f.nextID++
			return &models.Update{ID: f.nextID, Message: &models.Message{ID: 1, From: &u, Chat: group, Text: "村口路灯坏了"}}
		}, ""},
		{"group command", func() *models.Update {
			f.nextID++
			return &models.Update{ID: f.nextID, Message: &models.Message{ID: 2, From: &u, Chat: group, Text: "/start@hotline_bot"}}
		}, ""},
		{"bot added to a group", func() *models.Update {
			f.nextID++
			var upd models.Update
			raw := `{"update_id":` + itoa(f.nextID) + `,"my_chat_member":{"chat":{"id":-1001,"type":"supergroup","title":"翟各庄村民群"},` +
				`"from":{"id":900000001,"is_bot":false,"first_name":"张大爷"},"date":1,` +
				`"old_chat_member":{"status":"left","user":{"id":7,"is_bot":true,"first_name":"bot"}},` +
				`"new_chat_member":{"status":"member","user":{"id":7,"is_bot":true,"first_name":"bot"}}}}`
			if err := json.Unmarshal([]byte(raw), &upd); err != nil {
				t.Fatal(err)
			}
			return &upd
		}, ""},
		{"edited message", func() *models.Update {
			f.nextID++
			return &models.Update{ID: f.nextID, EditedMessage: &models.Message{ID: 3, From: &u, Chat: models.Chat{ID: residentA, Type: models.ChatTypePrivate}, Text: "改一下"}}
		}, ""},
		{"channel post", func() *models.Update {
			f.nextID++
			return &models.Update{ID: f.nextID, ChannelPost: &models.Message{ID: 4, Chat: models.Chat{ID: -1002, Type: models.ChatTypeChannel}, Text: "公告"}}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			n := f.count(residentA)
			before := ticketsAndStates(f)
			f.handle(tc.upd())
			got := f.kindsSince(residentA, n)
			switch {
			case tc.kind == "" && len(got) != 0:
				t.Errorf("replied %v", got)
			case tc.kind != "" && (len(got) == 0 || got[len(got)-1] != tc.kind):
				t.Errorf("replied %v, want %s", got, tc.kind)
			}
			if after := ticketsAndStates(f); after != before {
				t.Errorf("changed:\n%s\n%s", before, after)
			}
			if ms := f.outbox(storage.OutboxFilter{ChatID: group.ID}); len(ms) != 0 {
				t.Errorf("wrote to the group: %v", ms)
			}
		})
	}

	// A press on a message too old to edit still counts, and its result
	// comes as a new message.
	f.t = t
	f.press(cadreZhai, "acc:"+itoa(tk.ID))
	f.press(cadreZhai, "res:"+itoa(tk.ID))
	f.text(cadreZhai, "已修好")
	f.nextID++
	q := &models.CallbackQuery{ID: "old", From: u, Data: "rate:" + itoa(tk.ID) + ":5", Message: models.MaybeInaccessibleMessage{
		Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
		InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: residentA, Type: models.ChatTypePrivate}},
	}}
	f.handle(&models.Update{ID: f.nextID, CallbackQuery: q})
	if got := f.ticket(tk.ID); got.Rating != 5 {
		t.Fatalf("rating = %d", got.Rating)
	}
	if m := f.last(residentA); m.Method != "send" || m.Kind != notice.KindPressed || !contains(m.Text, "您的评价：5 分") {
		t.Errorf("last = %s %s %q", m.Method, m.Kind, m.Text)
	}

	// A message at Telegram's limit becomes one ticket with all of it.
	huge := strings.Repeat("路灯坏了很久，", 585)
	if got := f.report(residentA, huge); got.Text != huge {
		t.Errorf("ticket text has %d of %d characters", len([]rune(got.Text)), len([]rune(huge)))
	}
}

// ticketsAndStates is the stored state bad input must leave alone.
func ticketsAndStates(f *fixture) string {
	var b strings.Builder
	snap := f.snapshot()
	b.WriteString(snap[:strings.LastIndex(snap, "outbox=")]) // replies are expected
	for _, id := range []int64{residentA, cadreZhai} {
		c := f.chat(id)
		b.WriteString(" " + c.State + "/" + c.StateData)
	}
	r := f.resident(residentA)
	b.WriteString(" " + r.Village + "/" + strings.Join(r.Tags, ","))
	return b.String()
}
