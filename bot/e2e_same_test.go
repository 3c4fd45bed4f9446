package bot_test

import (
	"context"
	"strings"
	"testing"

	"hotline/storage"
)

// Two residents report the same broken light: one card (counting two
// requesters), two receipts with the same number, one resolution, two
// notices and two ratings, each resident's own.
func TestEndToEndSameProblem(t *testing.T) {
	w := newWorld(t)
	w.say(zeng, "/start")
	w.register(zhang, "东片区", "翟各庄村")
	w.register(li, "东片区", "翟各庄村")

	cards := w.sim.BotMessageCount(zeng.ID)
	first := w.say(zhang, "村口的路灯坏了，晚上黑乎乎的")
	number := strings.Fields(strings.SplitN(first.Plain, "工单编号：", 2)[1])[0]
	card := w.nextReply(zeng.ID, cards, "card to 曾令发")
	if !strings.Contains(card.Plain, number) {
		t.Fatalf("card = %q", card.Plain)
	}

	second := w.say(li, "村口那盏路灯不亮好几天了")
	if !strings.Contains(second.Plain, "同村已有人反映了这个问题（编号 "+number+"）") || !strings.Contains(second.Plain, "合并跟进") {
		t.Fatalf("second receipt = %q", second.Plain)
	}
	// No second card: the first one is edited to count two requesters.
	w.w.waitFor(t, "card counting 2 requesters", func() bool {
		m, _ := w.messageWith(zeng.ID, number)
		return m.Edited && strings.Contains(m.Plain, "反映人数：2 人")
	})
	newCards := 0
	for _, m := range w.sim.Messages(zeng.ID)[cards:] {
		if strings.Contains(m.Plain, "📋 工单") {
			newCards++
		}
	}
	if newCards != 1 {
		t.Errorf("%d cards to the cadre, want 1", newCards)
	}

	card, _ = w.messageWith(zeng.ID, number)
	w.press(zeng, card, "办结")
	w.waitMessage(zeng.ID, "请回复一句办理结果")
	ack := w.say(zeng, "已更换灯泡，恢复照明")
	if !strings.Contains(ack.Plain, "已通知 2 位反映人") {
		t.Errorf("ack = %q", ack.Plain)
	}
	for _, u := range []struct {
		who   string
		stars string
	}{{"zhang", "5"}, {"li", "4"}} {
		user := zhang
		if u.who == "li" {
			user = li
		}
		done := w.waitMessage(user.ID, "已办结")
		if !strings.Contains(done.Plain, number) || !strings.Contains(done.Plain, "已更换灯泡") {
			t.Errorf("%s notice = %q", u.who, done.Plain)
		}
		if got := w.press(user, done, u.stars); got != "谢谢您的评价！" {
			t.Errorf("%s rating toast = %q", u.who, got)
		}
		w.waitMessage(user.ID, "感谢您的评价（"+u.stars+" 分）！工单 "+number)
	}
	my := w.say(li, "/my")
	if !strings.Contains(my.Plain, number) {
		t.Errorf("li's /my = %q", my.Plain)
	}
	// Two tickets, one problem: the second linked to the first, each
	// with its requester's own rating.
	var ratings []int
	err := w.db.View(context.Background(), func(tx *storage.Tx) error {
		ts, err := tx.Tickets(context.Background(), storage.TicketFilter{})
		for _, tk := range ts {
			ratings = append(ratings, tk.Rating)
			if tk.ResidentID == li.ID && tk.LinkedTo == 0 {
				t.Errorf("li's ticket is not linked: %+v", tk)
			}
		}
		return err
	})
	if err != nil || len(ratings) != 2 || ratings[0] != 5 || ratings[1] != 4 {
		t.Errorf("ratings = %v, %v", ratings, err)
	}
}
