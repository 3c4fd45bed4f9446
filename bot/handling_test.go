package bot

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/routing"
	"hotline/storage"
)

// The 12345 steps through the bot: 先行联系 from the card, the outcome
// chosen on the note prompt, 延期 and 退单 asked in words and decided by
// the centre's buttons.
func TestHandlingSteps(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.text(centre, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "村口的路灯坏了一个星期了")
	id := itoa(tk.ID)

	// No 先行联系 before 接单; then one button, once.
	if got := f.press(cadreZhai, "con:"+id); got != notice.RefuseState(routing.Assigned) {
		t.Errorf("contact before accept = %q", got)
	}
	f.press(cadreZhai, "acc:"+id)
	if card := f.last(cadreZhai); !slices.Contains(buttonTexts(card), "已先行联系") {
		t.Fatalf("accepted card buttons = %v", buttonTexts(card))
	}
	if got := f.press(cadreLiang, "con:"+id); got != notice.RefuseNotYours {
		t.Errorf("another cadre's contact = %q", got)
	}
	if got := f.press(cadreZhai, "con:"+id); got != notice.ContactRecorded {
		t.Errorf("contact toast = %q", got)
	}
	if got := f.press(cadreZhai, "con:"+id); got != notice.RefuseDone {
		t.Errorf("second contact = %q", got)
	}
	if card := f.last(cadreZhai); slices.Contains(buttonTexts(card), "已先行联系") || !contains(card.Text, "先行联系：") {
		t.Errorf("card after contact = %q %v", card.Text, buttonTexts(card))
	}

	// 延期: the handler writes the date and the reason; the centre approves.
	f.press(cadreZhai, "ext:"+id)
	if m := f.last(cadreZhai); m.Kind != notice.KindAskPrompt {
		t.Fatalf("extension prompt = %s", m.Kind)
	}
	f.text(cadreZhai, "等配件")
	if m := f.last(cadreZhai); m.Text != notice.AskExtendFormat {
		t.Errorf("no date: %q", m.Text)
	}
	f.text(cadreZhai, "明天 等配件")
	if m := f.last(cadreZhai); m.Text != notice.RefuseNotLater {
		t.Errorf("a date before the deadline: %q", m.Text)
	}
	f.press(cadreZhai, "ext:"+id)
	f.text(cadreZhai, "12月10日 灯杆要换，等配件到货")
	if m := f.last(cadreZhai); m.Kind != notice.KindRequestSent {
		t.Fatalf("after the reason: %s %q", m.Kind, m.Text)
	}
	req := f.last(centre)
	if req.Kind != notice.KindRequest || !contains(req.Text, "灯杆要换") || len(buttonData(req)) != 2 {
		t.Fatalf("centre got %s %q", req.Kind, req.Text)
	}
	if got := f.pressOn(cadreZhai, 5, buttonData(req)[0]); got != notice.RefuseNotCentre {
		t.Errorf("the handler approving = %q", got)
	}
	if got := f.pressOn(centre, 9, buttonData(req)[0]); got != "已同意" {
		t.Errorf("approve toast = %q", got)
	}
	if got := f.pressOn(centre, 9, buttonData(req)[1]); got != notice.RefuseDecided {
		t.Errorf("second decision = %q", got)
	}
	want := time.Date(2026, 12, 10, 23, 59, 0, 0, notice.Zone)
	if got := f.ticket(tk.ID); !got.ResolveBy.Equal(want) {
		t.Errorf("resolve by %s, want %s", got.ResolveBy, want)
	}
	if m := f.last(residentA); m.Kind != notice.KindExtended {
		t.Errorf("resident last told %s", m.Kind)
	}

	// Resolve as 部分解决 through the prompt's buttons.
	f.press(cadreZhai, "res:"+id)
	if got := f.press(cadreZhai, "oc:"+id+":partly"); got != "部分解决" {
		t.Errorf("outcome toast = %q", got)
	}
	if c := f.chat(cadreZhai); c.State != stateNote || c.StateData != id+":partly" {
		t.Errorf("state = %q %q", c.State, c.StateData)
	}
	f.text(cadreZhai, "装了临时灯，灯杆下周换")
	if got := f.ticket(tk.ID); got.State != routing.Resolved || got.Outcome != routing.Partly {
		t.Errorf("resolved = %s %s", got.State, got.Outcome)
	}
}

func TestReturnThroughBot(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.text(centre, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "村口的路灯坏了")
	id := itoa(tk.ID)
	if got := f.press(leaderEast, "ret:"+id); got != notice.RefuseNotHandler {
		t.Errorf("leader asking = %q", got)
	}
	f.press(cadreZhai, "ret:"+id)
	f.text(cadreZhai, "这条路是县道，归县公路局")
	req := f.last(centre)
	if req.Kind != notice.KindRequest || !strings.Contains(req.Text, "退单") {
		t.Fatalf("centre got %s %q", req.Kind, req.Text)
	}
	// A second request while one waits is refused.
	f.press(cadreZhai, "ext:"+id)
	f.text(cadreZhai, "12月20日 等回复")
	if m := f.last(cadreZhai); m.Text != notice.RefusePending {
		t.Errorf("second request = %q", m.Text)
	}
	f.pressOn(centre, 9, buttonData(req)[0])
	if got := f.ticket(tk.ID); int64(got.HandlerID) != centre || got.State != routing.Assigned {
		t.Errorf("after 退单: handler %d state %s", got.HandlerID, got.State)
	}
	if m := f.outbox(storage.OutboxFilter{ChatID: cadreZhai, Kind: notice.KindRequestDecided}); len(m) != 1 || !contains(m[0].Text, "不用再办理") {
		t.Errorf("handler told %+v", m)
	}
	// /promise on the ticket, now the centre's.
	f.text(centre, "/promise "+tk.Number+" 本周内给予答复")
	if m := f.last(centre); m.Kind != notice.KindPromised {
		t.Errorf("/promise = %s %q", m.Kind, m.Text)
	}
	if got := f.ticket(tk.ID); got.ReplyBy.IsZero() {
		t.Error("no promise recorded")
	}
	f.text(cadreZhai, "/promise "+tk.Number+" 明天")
	if m := f.last(cadreZhai); m.Text != notice.RefuseNotYours {
		t.Errorf("former handler's /promise = %q", m.Text)
	}
}
