package bot

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/conversation"
	"hotline/notice"
	"hotline/outreach"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// broadcast records a one-off notice from the command line (actor 0) and
// queues it, as `hotline outreach broadcast` does.
func (f *fixture) broadcast(segment, text, category string) storage.Run {
	f.t.Helper()
	var run storage.Run
	err := f.db.Update(f.ctx, func(tx *storage.Tx) error {
		var err error
		run, err = f.out.Broadcast(f.ctx, tx, f.live.Assets(), 0, segment, text, category)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.out.ResumeRuns(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return run
}

// runs lists every outreach run.
func (f *fixture) runs() []storage.Run {
	f.t.Helper()
	var out []storage.Run
	if err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		var err error
		out, err = tx.Runs(f.ctx, storage.RunFilter{})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

// recipient is what a run recorded about one resident.
func (f *fixture) recipient(run, chat int64) storage.Recipient {
	f.t.Helper()
	var rc storage.Recipient
	if err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		var err error
		rc, err = tx.Recipient(f.ctx, run, chat)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return rc
}

// outreachSnapshot is snapshot plus every answer of every run: what a
// refused outreach press must leave as it was.
func (f *fixture) outreachSnapshot() string {
	f.t.Helper()
	var b strings.Builder
	b.WriteString(f.snapshot())
	for _, r := range f.runs() {
		err := f.db.View(f.ctx, func(tx *storage.Tx) error {
			as, err := tx.RunAnswers(f.ctx, r.ID)
			for _, a := range as {
				fmt.Fprintf(&b, ";run %d %d=%s/%d", r.ID, a.ChatID, a.Answer, a.TicketID)
			}
			return err
		})
		if err != nil {
			f.t.Fatal(err)
		}
	}
	return b.String()
}

func (f *fixture) wakes() int {
	f.notify.mu.Lock()
	defer f.notify.mu.Unlock()
	return f.notify.n
}

// pressed returns the newest rewrite of a pressed message in chat.
func (f *fixture) pressed(chat int64) storage.OutboxMessage {
	f.t.Helper()
	ms := f.outbox(storage.OutboxFilter{ChatID: chat, Kind: notice.KindPressed})
	if len(ms) == 0 {
		f.t.Fatalf("no pressed message rewritten in %d", chat)
	}
	return ms[len(ms)-1]
}

func TestCheckinAnswers(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "东片区", "翟各庄村")
	run := f.broadcast("village:翟各庄村", "今晚停电检修，来电后家里用电正常吗？", string(taxonomy.Power))
	id := itoa(run.ID)
	if m := f.last(residentA); m.Kind != notice.KindCampaign || !slices.Contains(buttonData(m), "ci:"+id+":bad") {
		t.Fatalf("check-in = %s %v", m.Kind, buttonData(m))
	}

	checkinBadOpensTicket(t, f, run.ID)
	checkinOKOpensNothing(t, f, run.ID)
	checkinSecondPress(t, f, run.ID)
}

// checkinBadOpensTicket: 有问题 opens a ticket in the campaign's category,
// linked to it; the village cadre gets its card.
func checkinBadOpensTicket(t *testing.T, f *fixture, runID int64) {
	t.Helper()
	if got := f.press(residentA, "ci:"+itoa(runID)+":bad"); got != notice.ToastTicketOpened {
		t.Errorf("有问题 toast = %q", got)
	}
	rc := f.recipient(runID, residentA)
	if rc.Answer != "bad" || rc.TicketID == 0 {
		t.Fatalf("recipient = %+v", rc)
	}
	tk := f.ticket(storage.TicketID(rc.TicketID))
	if tk.Category != taxonomy.Power || tk.Campaign != outreach.BroadcastCampaign || tk.HandlerID != roster.StaffID(cadreZhai) {
		t.Errorf("ticket = %s %q handler %d", tk.Category, tk.Campaign, tk.HandlerID)
	}
	if m := f.last(cadreZhai); m.Kind != notice.KindCard || m.TicketID != tk.ID {
		t.Errorf("cadre got %s for ticket %d", m.Kind, m.TicketID)
	}
	if ms := f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindReceipt}); len(ms) != 1 || ms[0].TicketID != tk.ID {
		t.Errorf("receipts = %+v", ms)
	}
	if m := f.pressed(residentA); m.Method != "edit" || len(m.Buttons) != 0 || !contains(m.Text, "您的回复：有问题") {
		t.Errorf("pressed check-in = %s %q %v", m.Method, m.Text, m.Buttons)
	}
}

// checkinOKOpensNothing: 正常 records the answer and opens nothing.
func checkinOKOpensNothing(t *testing.T, f *fixture, runID int64) {
	t.Helper()
	before := len(f.outbox(storage.OutboxFilter{Kind: notice.KindCard}))
	if got := f.press(residentB, "ci:"+itoa(runID)+":ok"); got != notice.ToastThanks {
		t.Errorf("正常 toast = %q", got)
	}
	if rc := f.recipient(runID, residentB); rc.Answer != "ok" || rc.TicketID != 0 {
		t.Errorf("recipient = %+v", rc)
	}
	if n := len(f.outbox(storage.OutboxFilter{ChatID: residentB, Kind: notice.KindCheckinThanks})); n != 1 {
		t.Errorf("正常 thanked %d times", n)
	}
	if n := len(f.outbox(storage.OutboxFilter{Kind: notice.KindCard})); n != before {
		t.Errorf("正常 sent %d cards", n-before)
	}
	if m := f.pressed(residentB); !contains(m.Text, "您的回复：正常") {
		t.Errorf("pressed = %q", m.Text)
	}
}

// checkinSecondPress: a second press, either way, changes nothing and says
// so.
func checkinSecondPress(t *testing.T, f *fixture, runID int64) {
	t.Helper()
	snap := f.outreachSnapshot()
	if got := f.press(residentB, "ci:"+itoa(runID)+":bad"); got != notice.ToastAnswered {
		t.Errorf("second press toast = %q", got)
	}
	if m := f.pressed(residentB); !contains(m.Text, "正常（之前已回复）") {
		t.Errorf("second pressed = %q", m.Text)
	}
	after := f.outreachSnapshot()
	if strings.Split(after, "outbox=")[0] != strings.Split(snap, "outbox=")[0] {
		t.Errorf("a second answer changed tickets:\n%s\n%s", snap, after)
	}
	if rc := f.recipient(runID, residentB); rc.Answer != "ok" {
		t.Errorf("answer became %q", rc.Answer)
	}
}

func TestCheckinTextReply(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	run := f.broadcast("village:翟各庄村", "今晚停电检修，来电后家里用电正常吗？", string(taxonomy.Power))

	// The words would be classified as heating; as the answer to the
	// check-in they open a ticket in its category.
	tk := f.report(residentA, "家里暖气和灯都不亮了")
	if tk.Category != taxonomy.Power || tk.Campaign != outreach.BroadcastCampaign || tk.Text != "家里暖气和灯都不亮了" {
		t.Errorf("reply ticket = %s %q %q", tk.Category, tk.Campaign, tk.Text)
	}
	if rc := f.recipient(run.ID, residentA); rc.Answer != "text" || storage.TicketID(rc.TicketID) != tk.ID {
		t.Errorf("recipient = %+v", rc)
	}
	// The check-in is answered: the next text is an ordinary report.
	next := f.report(residentA, "家里暖气不热")
	if next.Category != taxonomy.Heating || next.Campaign != "" {
		t.Errorf("ordinary report = %s %q", next.Category, next.Campaign)
	}
	// A check-in older than answer_within no longer takes texts.
	f.broadcast("village:翟各庄村", "降温了，家里暖和吗？", string(taxonomy.Heating))
	f.now = f.now.Add(time.Duration(f.out.Config().AnswerWithin) + time.Minute)
	if late := f.report(residentA, "路灯坏了"); late.Campaign != "" || late.Category != taxonomy.Roads {
		t.Errorf("late text = %s %q", late.Category, late.Campaign)
	}
}

func TestOutreachPressRefusals(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "西片区", "梁家务村")
	checkin := f.broadcast("village:翟各庄村", "来电了吗？", string(taxonomy.Power))
	plain := f.broadcast("all", "明天停水。", "")
	var yearEnd storage.Run
	c, _ := f.out.Config().Campaign("year-end-evaluation")
	res, err := f.out.RunNow(f.ctx, c, f.now)
	if err != nil {
		t.Fatal(err)
	}
	yearEnd = res.Run
	openTk := f.report(residentA, "路灯坏了")
	otherTk := f.report(residentB, "路灯也坏了")
	f.press(cadreZhai, "acc:"+itoa(openTk.ID))

	ci, ye := itoa(checkin.ID), itoa(yearEnd.ID)
	cases := []struct {
		name string
		who  int64
		data string
		want string
	}{
		{"check-in of a run that never was", residentA, "ci:999999:bad", notice.RefuseExpired},
		{"check-in not sent to this resident", residentB, "ci:" + ci + ":bad", notice.RefuseExpired},
		{"a plain notice has nothing to answer", residentA, "ci:" + itoa(plain.ID) + ":ok", notice.RefuseExpired},
		{"a rating run is not a check-in", residentA, "ci:" + ye + ":bad", notice.RefuseExpired},
		{"a check-in is not a rating", residentA, "ye:" + ci + ":5", notice.RefuseExpired},
		{"fixed? of someone else's ticket", residentA, "fix:" + itoa(otherTk.ID) + ":no", notice.RefuseExpired},
		{"fixed? of an open ticket", residentA, "fix:" + itoa(openTk.ID) + ":no", notice.RefuseExpired},
		{"fixed? of no ticket", residentA, "fix:999999:yes", notice.RefuseExpired},
		{"check-in without a run", residentA, "ci:0:ok", notice.RefuseStale},
		{"check-in with a made-up answer", residentA, "ci:" + ci + ":maybe", notice.RefuseStale},
		{"rating out of range", residentA, "ye:" + ye + ":6", notice.RefuseStale},
		{"rating written oddly", residentA, "ye:" + ye + ":05", notice.RefuseStale},
		{"fixed? with a made-up answer", residentA, "fix:" + itoa(openTk.ID) + ":perhaps", notice.RefuseStale},
		{"staff pressing a resident's check-in", cadreZhai, "ci:" + ci + ":bad", notice.RefuseNotFound},
	}
	for _, tc := range cases {
		before := f.outreachSnapshot()
		if got := f.press(tc.who, tc.data); got != tc.want {
			t.Errorf("%s: toast %q, want %q", tc.name, got, tc.want)
		}
		if after := f.outreachSnapshot(); after != before {
			t.Errorf("%s changed something:\n%s\n%s", tc.name, before, after)
		}
	}
}

func TestYearEndRatingOnce(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	c, ok := f.out.Config().Campaign("year-end-evaluation")
	if !ok {
		t.Fatal("no year-end campaign")
	}
	res, err := f.out.RunNow(f.ctx, c, f.now)
	if err != nil {
		t.Fatal(err)
	}
	ye := "ye:" + itoa(res.Run.ID) + ":"
	if m := f.last(residentA); !slices.Contains(buttonData(m), ye+"5") {
		t.Fatalf("year-end question = %s %v", m.Kind, buttonData(m))
	}
	if got := f.press(residentA, ye+"4"); got != notice.ToastRated {
		t.Errorf("toast = %q", got)
	}
	if rc := f.recipient(res.Run.ID, residentA); rc.Answer != "4" {
		t.Errorf("rating = %q", rc.Answer)
	}
	if m := f.pressed(residentA); !contains(m.Text, "您的评分：4 分") || len(m.Buttons) != 0 {
		t.Errorf("pressed = %q %v", m.Text, m.Buttons)
	}
	if got := f.press(residentA, ye+"1"); got != notice.ToastAnswered {
		t.Errorf("second rating toast = %q", got)
	}
	if rc := f.recipient(res.Run.ID, residentA); rc.Answer != "4" {
		t.Errorf("second press changed the rating to %q", rc.Answer)
	}
	if n := len(f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindYearEndThanks})); n != 1 {
		t.Errorf("thanked %d times", n)
	}
}

func TestFixedAnswers(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	resolve := func(text string) storage.Ticket {
		t.Helper()
		tk := f.report(residentA, text)
		f.press(cadreZhai, "acc:"+itoa(tk.ID))
		f.press(cadreZhai, "res:"+itoa(tk.ID))
		f.text(cadreZhai, "已修好")
		return f.ticket(tk.ID)
	}
	fixed, broken := resolve("路灯坏了"), resolve("村口路灯不亮")
	if fixed.State != "resolved" || broken.State != "resolved" {
		t.Fatalf("states %s %s", fixed.State, broken.State)
	}
	f.now = f.now.Add(time.Duration(f.out.Config().FixedAfter) + time.Hour)
	if n, err := f.out.AskFixed(f.ctx); err != nil || n != 2 {
		t.Fatalf("asked %d, %v", n, err)
	}

	if got := f.press(residentA, "fix:"+itoa(fixed.ID)+":yes"); got != notice.ToastThanks {
		t.Errorf("yes toast = %q", got)
	}
	if f.ticket(fixed.ID).State != "resolved" {
		t.Error("已经好了 changed the ticket")
	}
	if got := f.press(residentA, "fix:"+itoa(broken.ID)+":no"); got != notice.ToastTicketOpened {
		t.Errorf("no toast = %q", got)
	}
	if tk := f.ticket(broken.ID); tk.State != "assigned" || tk.HandlerID != roster.StaffID(cadreZhai) || tk.Reopened != 1 {
		t.Errorf("还没好 left %s handler %d reopened %d", tk.State, tk.HandlerID, tk.Reopened)
	}
	if m := f.pressed(residentA); !contains(m.Text, "还没好") || m.TicketID != broken.ID {
		t.Errorf("pressed = %q", m.Text)
	}
	// A second answer to the same question counts for nothing.
	before := f.snapshot()
	if got := f.press(residentA, "fix:"+itoa(fixed.ID)+":no"); got != notice.ToastAnswered {
		t.Errorf("second answer toast = %q", got)
	}
	if after := f.snapshot(); strings.Split(after, "outbox=")[0] != strings.Split(before, "outbox=")[0] {
		t.Errorf("second answer changed tickets:\n%s\n%s", before, after)
	}
}

// notifyConfirmed sends /notify as who and confirms it with 确认发送.
func (f *fixture) notifyConfirmed(who int64, text string) {
	f.t.Helper()
	f.text(who, text)
	m := f.last(who)
	if m.Kind != notice.KindNotifyConfirm || len(m.Buttons) == 0 {
		f.t.Fatalf("%q: no confirmation but %s %q", text, m.Kind, m.Text)
	}
	if got := f.press(who, m.Buttons[0][0].Data); got != notice.ToastNotified {
		f.t.Fatalf("%q: confirmation toast %q", text, got)
	}
}

func TestNotifyCommand(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "西片区", "梁家务村")
	campaigns := func(chat int64) []storage.OutboxMessage {
		return f.outbox(storage.OutboxFilter{ChatID: chat, Kind: notice.KindCampaign})
	}

	// The centre: a plain notice to one village reaches its residents only.
	wakes := f.wakes()
	f.notifyConfirmed(centre, "/notify village:翟各庄村 明天 9 点到 12 点停电检修。\n请提前做好准备。")
	got := campaigns(residentA)
	if len(got) != 1 || len(got[0].Buttons) != 0 || !contains(got[0].Text, "停电检修。\n请提前做好准备。") {
		t.Fatalf("resident A got %+v", got)
	}
	if n := len(campaigns(residentB)); n != 0 {
		t.Errorf("梁家务村 got %d notices", n)
	}
	if m := f.last(centre); m.Kind != notice.KindBroadcastDone || !contains(m.Text, "1 人") {
		t.Errorf("centre told %s %q", m.Kind, m.Text)
	}
	if f.wakes() < wakes+2 {
		t.Error("the sender was not woken after the fan-out")
	}

	// With checkin:, the notice carries 正常 / 有问题; a Chinese category
	// name works as well as its id.
	f.notifyConfirmed(centre, "/notify all checkin:用电与线路 今晚停电，来电后家里用电正常吗？")
	last := f.runs()[0] // newest first
	if last.Kind != storage.CampaignCheckin || last.Category != taxonomy.Power {
		t.Fatalf("run = %+v", last)
	}
	for _, r := range []int64{residentA, residentB} {
		ms := campaigns(r)
		m := ms[len(ms)-1]
		if !slices.Equal(buttonTexts(m), []string{"正常", "有问题"}) || !slices.Contains(buttonData(m), "ci:"+itoa(last.ID)+":bad") {
			t.Errorf("resident %d check-in buttons %v %v", r, buttonTexts(m), buttonData(m))
		}
	}

	// Refusals and mistakes record no run and reach nobody.
	n := len(f.runs())
	for _, tc := range []struct {
		who       int64
		text      string
		want      string
		wantExact bool
	}{
		{cadreZhai, "/notify village:翟各庄村 停电", notice.RefuseNotifyRole, true},
		{waterDept, "/notify all 停水", notice.RefuseNotifyRole, true},
		{residentA, "/notify all 停电", notice.RefuseStaffOnly, true},
		{leaderEast, "/notify area:西片区 停电", notice.RefuseNotifyArea, true},
		{leaderEast, "/notify all 停电", notice.RefuseNotifyArea, true},
		{centre, "/notify", notice.NotifyUsage, true},
		{centre, "/notify all", notice.NotifyUsage, true},
		{centre, "/notify street:长安街 停电", "看不懂范围", false},
		{centre, "/notify village:火星村 停电", "不在花名册上", false},
		{centre, "/notify all checkin:weather 停电", "没有“weather”这个类别", false},
	} {
		before := f.count(residentA) + f.count(residentB)
		f.text(tc.who, tc.text)
		m := f.last(tc.who)
		if m.Kind != notice.KindRefusal || (tc.wantExact && m.Text != tc.want) || !contains(m.Text, tc.want) {
			t.Errorf("%d %q: %s %q", tc.who, tc.text, m.Kind, m.Text)
		}
		if tc.who != residentA && f.count(residentA)+f.count(residentB) != before {
			t.Errorf("%d %q reached residents", tc.who, tc.text)
		}
	}
	if got := len(f.runs()); got != n {
		t.Errorf("refusals recorded %d runs", got-n)
	}

	// An area leader inside their own 片区 may.
	f.notifyConfirmed(leaderEast, "/notify area:东片区 明早有雾，出行注意安全。")
	if ms := campaigns(residentA); !contains(ms[len(ms)-1].Text, "明早有雾") {
		t.Errorf("leader's notice did not reach 东片区")
	}
}

func TestStopOnlyStopsCampaigns(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "路灯坏了")
	f.text(residentA, "/stop")
	if !f.resident(residentA).OptedOut {
		t.Fatal("/stop did not opt out")
	}
	f.broadcast("all", "明天停水。", "")
	if n := len(f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindCampaign})); n != 0 {
		t.Errorf("an opted-out resident got %d notices", n)
	}
	// Their own ticket still tells them, and still asks if it stayed fixed.
	f.press(cadreZhai, "acc:"+itoa(tk.ID))
	if f.last(residentA).Kind != notice.KindAccepted {
		t.Error("ticket news stopped with /stop")
	}
	f.press(cadreZhai, "res:"+itoa(tk.ID))
	f.text(cadreZhai, "已修好")
	f.now = f.now.Add(time.Duration(f.out.Config().FixedAfter) + time.Hour)
	if n, err := f.out.AskFixed(f.ctx); err != nil || n != 1 {
		t.Errorf("fixed? asked %d, %v", n, err)
	}
	f.text(residentA, "/start")
	if f.resident(residentA).OptedOut {
		t.Error("/start did not opt back in")
	}
	f.broadcast("all", "后天停电。", "")
	if n := len(f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindCampaign})); n != 1 {
		t.Errorf("after /start got %d notices, want 1", n)
	}

	// A /stop before registering does not outlive the next /start.
	f.text(residentB, "/start")
	f.text(residentB, "/stop")
	f.text(residentB, "/start")
	if f.resident(residentB).OptedOut {
		t.Error("/start before registering kept the opt-out")
	}
}

func TestTagCommand(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "西片区", "梁家务村")
	tk := f.report(residentA, "路灯坏了")

	// A cadre tags a resident of their village by a ticket number.
	f.text(cadreZhai, "/tag "+tk.Number+" alone 开")
	if r := f.resident(residentA); !slices.Equal(r.Tags, []string{notice.TagAlone}) {
		t.Fatalf("tags = %v", r.Tags)
	}
	if m := f.last(cadreZhai); m.Kind != notice.KindTagsSet || !contains(m.Text, "70岁以上独居") {
		t.Errorf("cadre told %s %q", m.Kind, m.Text)
	}
	f.text(cadreZhai, "/tag "+itoa(residentA)+" 煤改电 on")
	f.text(cadreZhai, "/tag "+itoa(residentA)+" alone off")
	if r := f.resident(residentA); !slices.Equal(r.Tags, []string{notice.TagElectricHeating}) {
		t.Errorf("tags = %v", r.Tags)
	}
	// The centre tags anyone.
	f.text(centre, "/tag "+itoa(residentB)+" alone on")
	if r := f.resident(residentB); !slices.Equal(r.Tags, []string{notice.TagAlone}) {
		t.Errorf("centre's tags = %v", r.Tags)
	}

	for _, tc := range []struct {
		who  int64
		text string
		want string
	}{
		{cadreZhai, "/tag " + itoa(residentB) + " electric_heating on", notice.RefuseTagWho}, // another village
		{cadreZhai, "/tag 123456789 alone on", notice.RefuseTagWho},                          // nobody
		{cadreZhai, "/tag 2026-999999 alone on", notice.RefuseTagWho},                        // no such ticket
		{waterDept, "/tag " + itoa(residentA) + " alone on", notice.RefuseTagWho},            // departments do not
		{cadreZhai, "/tag " + itoa(residentA) + " vip on", notice.TagUsage},
		{cadreZhai, "/tag " + itoa(residentA) + " alone maybe", notice.TagUsage},
		{cadreZhai, "/tag " + itoa(residentA), notice.TagUsage},
		{residentA, "/tag " + itoa(residentB) + " alone off", notice.RefuseStaffOnly},
	} {
		before := f.resident(residentA).Tags
		beforeB := f.resident(residentB).Tags
		f.text(tc.who, tc.text)
		if m := f.last(tc.who); m.Kind != notice.KindRefusal || m.Text != tc.want {
			t.Errorf("%d %q: %s %q", tc.who, tc.text, m.Kind, m.Text)
		}
		if !slices.Equal(f.resident(residentA).Tags, before) || !slices.Equal(f.resident(residentB).Tags, beforeB) {
			t.Errorf("%d %q changed tags", tc.who, tc.text)
		}
	}
}

func TestStaffMenusByRole(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		who          int64
		notify, tag  bool
		helpMentions string
	}{
		{centre, true, true, "/notify"},
		{leaderEast, true, true, "/notify"},
		{cadreZhai, false, true, "/tag"},
		{waterDept, false, false, "/tasks"},
	} {
		f.text(tc.who, "/start")
		f.api.mu.Lock()
		var names []string
		for _, c := range f.api.commands[itoa(tc.who)] {
			names = append(names, c.Command)
		}
		f.api.mu.Unlock()
		if slices.Contains(names, "notify") != tc.notify || slices.Contains(names, "tag") != tc.tag || names[0] != "tasks" {
			t.Errorf("%d menu = %v", tc.who, names)
		}
		f.text(tc.who, "/help")
		help := f.last(tc.who).Text
		if !contains(help, tc.helpMentions) || (!tc.notify && contains(help, "/notify")) || (!tc.tag && contains(help, "/tag")) {
			t.Errorf("%d help = %q", tc.who, help)
		}
	}
}

// Without outreach the buttons are stale, texts are plain reports and the
// commands say so.
func TestOutreachOff(t *testing.T) {
	f := newFixture(t)
	f.h.outreach = nil
	f.h.conv = conversation.New(f.svc, nil, nil, f.h.log)
	f.register(residentA, "东片区", "翟各庄村")
	if got := f.press(residentA, "ci:1:bad"); got != notice.RefuseStale {
		t.Errorf("toast = %q", got)
	}
	if tk := f.report(residentA, "路灯坏了"); tk.Campaign != "" {
		t.Errorf("campaign %q", tk.Campaign)
	}
	f.text(centre, "/notify all 停电")
	if m := f.last(centre); m.Text != notice.RefuseOutreachOff {
		t.Errorf("notify = %q", m.Text)
	}
}
