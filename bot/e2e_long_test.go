package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A resident's message near Telegram's 4096-character limit makes a card
// too long for one message: it is split, the buttons ride on the last
// part, and every button still works — including the ones that rewrite the
// card (the transfer menu, the card after 接单), whose new text is also too
// long for one message.
func TestEndToEndLongReportCardButtonsWork(t *testing.T) {
	w := newWorld(t)
	w.say(zeng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	long := "翟各庄村路灯坏了，" + strings.Repeat("晚上黑乎乎的，老人出门不方便。", 270)
	if n := utf8.RuneCountInString(long); n > 4096 || n < 4000 {
		t.Fatalf("message is %d characters", n)
	}
	before := w.sim.BotMessageCount(zeng.ID)
	w.say(zhang, long)
	w.w.waitFor(t, "the split card", func() bool {
		ms := w.sim.Messages(zeng.ID)
		return len(ms) >= before+2 && len(ms[len(ms)-1].Buttons) > 0
	})
	ms := w.sim.Messages(zeng.ID)
	card := ms[len(ms)-1]

	if got := w.press(zeng, card, "转派"); got != "请选择转派给谁" {
		t.Fatalf("transfer toast = %q", got)
	}
	w.w.waitFor(t, "the transfer menu on the card", func() bool {
		m, _ := w.sim.LastMessage(zeng.ID)
		return m.ID == card.ID && m.Edited && strings.Contains(m.Plain, "请选择转派给谁")
	})
	card, _ = w.sim.LastMessage(zeng.ID)
	w.press(zeng, card, "« 不转派了")
	w.w.waitFor(t, "the card's buttons back", func() bool {
		m, _ := w.sim.LastMessage(zeng.ID)
		return m.ID == card.ID && !strings.Contains(m.Plain, "请选择转派给谁") && len(m.Buttons) > 0
	})
	card, _ = w.sim.LastMessage(zeng.ID)
	if got := w.press(zeng, card, "接单"); got != "已接单" {
		t.Fatalf("accept toast = %q", got)
	}
	w.w.waitFor(t, "the card edited to 办理中", func() bool {
		m, _ := w.sim.LastMessage(zeng.ID)
		return m.ID == card.ID && strings.Contains(m.Plain, "办理中")
	})
}
