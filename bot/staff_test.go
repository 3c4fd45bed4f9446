package bot

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

func itoa[T ~int64](id T) string { return strconv.FormatInt(int64(id), 10) }

func TestStaffStartGreetsAndSendsMissingCards(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "路灯坏了")
	if m := f.last(centre); m.Kind != notice.KindUnstarted {
		t.Fatalf("centre was not told the cadre has not started: %s", m.Kind)
	}
	f.text(cadreZhai, "/start")
	msgs := f.outbox(storage.OutboxFilter{ChatID: cadreZhai})
	// The greeting announces the cards, so it comes first.
	if len(msgs) != 2 || msgs[0].Kind != notice.KindStaffHello || msgs[1].Kind != notice.KindCard || msgs[1].TicketID != tk.ID {
		t.Fatalf("cadre got %+v", msgs)
	}
	hello := msgs[0].Text
	for _, want := range []string{"曾令发", "包村干部", "翟各庄村", "1 个待办"} {
		if !contains(hello, want) {
			t.Errorf("greeting lacks %q: %s", want, hello)
		}
	}
	if contains(hello, "哪个片区") {
		t.Error("staff must not be asked for a village")
	}
	f.api.mu.Lock()
	cmds := f.api.commands[itoa(cadreZhai)]
	f.api.mu.Unlock()
	if len(cmds) == 0 || cmds[0].Command != "tasks" {
		t.Errorf("staff commands = %v", cmds)
	}
	// The area leader is greeted with the 片区, the centre with the township.
	f.text(leaderEast, "/start")
	if m := f.last(leaderEast); !contains(m.Text, "包片领导") || !contains(m.Text, "东片区") {
		t.Errorf("leader greeting = %q", m.Text)
	}
}

func TestStaffLifecycle(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "村口路灯坏了一个星期了")

	staffAccepts(t, f, tk.ID)
	staffResolvesWithNote(t, f, f.ticket(tk.ID))
	residentReopens(t, f, tk.ID)
	resolveAndRateOnce(t, f, tk.ID)
}

// staffAccepts: 接单 moves the ticket to accepted, edits the card and tells
// the resident who handles it.
func staffAccepts(t *testing.T, f *fixture, tid storage.TicketID) {
	t.Helper()
	if got := f.press(cadreZhai, "acc:"+itoa(tid)); got != "已接单" {
		t.Fatalf("accept toast = %q", got)
	}
	if tk := f.ticket(tid); tk.State != "accepted" {
		t.Fatalf("state = %s", tk.State)
	}
	if m := f.last(cadreZhai); m.Kind != notice.KindCardEdit || m.Method != "edit" || !contains(m.Text, "办理中") {
		t.Errorf("card edit = %s %s %q", m.Kind, m.Method, m.Text)
	}
	if m := f.last(residentA); m.Kind != notice.KindAccepted || !contains(m.Text, "曾令发") {
		t.Errorf("resident accepted notice = %s %q", m.Kind, m.Text)
	}
}

// staffResolvesWithNote: 办结 asks for a note; the note resolves the ticket
// and the resident is asked to rate it.
func staffResolvesWithNote(t *testing.T, f *fixture, tk storage.Ticket) {
	t.Helper()
	id := itoa(tk.ID)
	if got := f.press(cadreZhai, "res:"+id); got == "" {
		t.Error("no toast for 办结")
	}
	if m := f.last(cadreZhai); m.Kind != notice.KindNotePrompt || !contains(m.Text, tk.Number) {
		t.Fatalf("note prompt = %s", m.Kind)
	}
	if c := f.chat(cadreZhai); c.State != stateNote || c.StateData != id {
		t.Fatalf("chat state = %q %q", c.State, c.StateData)
	}
	f.text(cadreZhai, "已更换灯泡，恢复照明")
	if tk = f.ticket(tk.ID); tk.State != "resolved" || tk.ResultNote != "已更换灯泡，恢复照明" {
		t.Fatalf("after note: %s %q", tk.State, tk.ResultNote)
	}
	if c := f.chat(cadreZhai); c.State != stateIdle {
		t.Errorf("state after note = %q", c.State)
	}
	if m := f.last(cadreZhai); m.Kind != notice.KindResolvedAck {
		t.Errorf("ack = %s", m.Kind)
	}
	resolved := f.last(residentA)
	if resolved.Kind != notice.KindResolved || !contains(resolved.Text, "已更换灯泡") || !contains(resolved.Text, "满意度") {
		t.Fatalf("resolved notice = %q", resolved.Text)
	}
	if got := buttonTexts(resolved); !slices.Equal(got, []string{"1", "2", "3", "4", "5", "未解决"}) {
		t.Fatalf("rating buttons = %v", got)
	}
}

// residentReopens: 未解决 reopens to the same handler with raised urgency.
func residentReopens(t *testing.T, f *fixture, tid storage.TicketID) {
	t.Helper()
	if got := f.pressOn(residentA, 99, "unres:"+itoa(tid)); got == "" {
		t.Error("no toast for 未解决")
	}
	tk := f.ticket(tid)
	if tk.State != "assigned" || tk.HandlerID != roster.StaffID(cadreZhai) || tk.Urgency != "urgent" || tk.Reopened != 1 {
		t.Fatalf("reopened = %+v", tk)
	}
	checkReopened(t, f, "已更换灯泡，恢复照明")
}

// resolveAndRateOnce: resolve straight from assigned, then rate once; a
// second rating changes nothing.
func resolveAndRateOnce(t *testing.T, f *fixture, tid storage.TicketID) {
	t.Helper()
	id := itoa(tid)
	f.press(cadreZhai, "res:"+id)
	f.text(cadreZhai, "重新接好线路")
	if got := f.pressOn(residentA, 100, "rate:"+id+":5"); got != "谢谢您的评价！" {
		t.Errorf("rate toast = %q", got)
	}
	if tk := f.ticket(tid); tk.Rating != 5 || tk.State != "closed" {
		t.Fatalf("rated = %d %s", tk.Rating, tk.State)
	}
	before := f.snapshot()
	if got := f.press(residentA, "rate:"+id+":1"); got != notice.RefuseAlreadyRated {
		t.Errorf("second rating toast = %q", got)
	}
	if f.snapshot() != before {
		t.Error("second rating changed something")
	}
}

func TestTransferMenuAndTransfer(t *testing.T) {
	f := newFixture(t)
	for _, id := range []int64{cadreZhai, cadreLiang, waterDept} {
		f.text(id, "/start")
	}
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "路灯坏了")
	id := itoa(tk.ID)

	f.pressOn(cadreZhai, 40, "trm:"+id)
	menu := f.last(cadreZhai)
	if menu.Kind != notice.KindTransferMenu || menu.EditMessageID != 40 {
		t.Fatalf("menu = %+v", menu)
	}
	labels := buttonTexts(menu)
	if !contains(labels[0], "宋立军") || !slices.Contains(labels, "村干部：西片区") || !contains(labels[len(labels)-1], "不转派") {
		t.Fatalf("menu labels = %v", labels)
	}
	for _, d := range buttonData(menu) {
		if len(d) > notice.MaxData {
			t.Errorf("callback data %q too long", d)
		}
	}
	if len(menu.Buttons) > 20 {
		t.Errorf("first page has %d rows; too long to use", len(menu.Buttons))
	}
	f.pressOn(cadreZhai, 40, "trm:"+id+":a:西片区")
	page := f.last(cadreZhai)
	if !slices.Contains(buttonData(page), "tr:"+id+":"+itoa(cadreLiang)) || slices.ContainsFunc(buttonTexts(page), func(s string) bool { return contains(s, "曾令发") }) {
		t.Fatalf("area page = %v", buttonTexts(page))
	}
	f.pressOn(cadreZhai, 40, "trm:"+id+":x")
	if m := f.last(cadreZhai); !slices.Equal(buttonTexts(m), []string{"接单", "办结", "转派", "上报", "申请延期", "申请退单"}) {
		t.Fatalf("closing the menu must restore the card: %v", buttonTexts(m))
	}

	if got := f.pressOn(cadreZhai, 40, "tr:"+id+":"+itoa(waterDept)); got != "已转派给 宋立军" {
		t.Fatalf("transfer toast = %q", got)
	}
	tk = f.ticket(tk.ID)
	if tk.HandlerID != roster.StaffID(waterDept) || tk.State != "assigned" {
		t.Fatalf("after transfer: %d %s", tk.HandlerID, tk.State)
	}
	if m := f.last(waterDept); m.Kind != notice.KindCard {
		t.Errorf("new handler got %s", m.Kind)
	}
	if m := f.last(cadreZhai); m.Kind != notice.KindCardEdit || len(m.Buttons) != 0 || !contains(m.Text, "宋立军") {
		t.Errorf("old card = %s %q %v", m.Kind, m.Text, m.Buttons)
	}
	if m := f.last(residentA); m.Kind != notice.KindTransferred {
		t.Errorf("resident got %s", m.Kind)
	}
	// The former handler's stale card buttons are refused now.
	before := f.snapshot()
	if got := f.press(cadreZhai, "acc:"+id); got != notice.RefuseNotYours {
		t.Errorf("stale accept = %q", got)
	}
	if f.snapshot() != before {
		t.Error("a stale press changed something")
	}
}

func TestEscalationChain(t *testing.T) {
	f := newFixture(t)
	for _, id := range []int64{cadreZhai, leaderEast, centre} {
		f.text(id, "/start")
	}
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "路灯坏了")
	id := itoa(tk.ID)
	if got := f.press(cadreZhai, "esc:"+id); got != "已上报给 刘振宇" {
		t.Fatalf("escalate toast = %q", got)
	}
	if m := f.last(leaderEast); m.Kind != notice.KindCard {
		t.Fatalf("leader got %s", m.Kind)
	}
	if m := f.last(residentA); m.Kind != notice.KindEscalated {
		t.Errorf("resident got %s", m.Kind)
	}
	f.press(leaderEast, "esc:"+id)
	if tk = f.ticket(tk.ID); tk.HandlerID != roster.StaffID(centre) || tk.Level != 2 {
		t.Fatalf("after second escalation: %d level %d", tk.HandlerID, tk.Level)
	}
	before := f.snapshot()
	if got := f.press(centre, "esc:"+id); got != notice.RefuseTop {
		t.Errorf("top escalate = %q", got)
	}
	if f.snapshot() != before {
		t.Error("a refused escalation changed something")
	}
}

func TestTasksAndStaffTicket(t *testing.T) {
	f := newFixture(t)
	for _, id := range []int64{cadreZhai, cadreLiang, leaderEast, centre} {
		f.text(id, "/start")
	}
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "西片区", "梁家务村")
	normal := f.report(residentA, "路灯坏了")
	f.now = f.now.Add(time.Hour)
	urgent := f.report(residentA, "闻到煤气味") // safety → department 邓海军
	west := f.report(residentB, "路灯不亮")
	f.now = f.now.Add(4 * time.Hour) // both accept deadlines have passed
	fresh := f.report(residentA, "又一盏路灯不亮")

	f.text(cadreZhai, "/tasks")
	list := f.last(cadreZhai)
	if list.Kind != notice.KindTaskList || !contains(list.Text, normal.Number) || contains(list.Text, west.Number) || !contains(list.Text, "已超时") {
		t.Fatalf("cadre tasks = %q", list.Text)
	}
	f.text(leaderEast, "/tasks")
	lt := f.last(leaderEast).Text
	if !contains(lt, normal.Number) || !contains(lt, urgent.Number) || contains(lt, west.Number) || !contains(lt, "承办") {
		t.Fatalf("leader tasks = %q", lt)
	}
	// Overdue first, earliest deadline first: the urgent one (due 18:30),
	// then the normal one (due 21:00), then the fresh one (not overdue).
	if i, j, k := indexOf(lt, urgent.Number), indexOf(lt, normal.Number), indexOf(lt, fresh.Number); !(i < j && j < k) {
		t.Errorf("order wrong:\n%s", lt)
	}
	f.text(centre, "/tasks")
	if ct := f.last(centre).Text; !contains(ct, west.Number) || !contains(ct, normal.Number) {
		t.Errorf("centre tasks = %q", ct)
	}

	tests := []struct {
		who    int64
		number string
		found  bool
		keys   bool
	}{
		{cadreZhai, normal.Number, true, true},
		{cadreZhai, west.Number, false, false}, // another village
		{cadreLiang, west.Number, true, true},
		{leaderEast, urgent.Number, true, false},
		{leaderEast, west.Number, false, false},
		{centre, west.Number, true, true},
	}
	for _, tc := range tests {
		f.text(tc.who, "/ticket "+tc.number)
		m := f.last(tc.who)
		if got := m.Kind == notice.KindTicketView; got != tc.found {
			t.Errorf("%d /ticket %s: %s %q", tc.who, tc.number, m.Kind, m.Text)
		}
		if got := len(m.Buttons) > 0; got != tc.keys {
			t.Errorf("%d /ticket %s: buttons %v", tc.who, tc.number, buttonTexts(m))
		}
	}
	f.text(cadreZhai, "/my")
	if m := f.last(cadreZhai); m.Kind != notice.KindRefusal {
		t.Errorf("staff /my = %s", m.Kind)
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestCancelClearsNoteState(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "路灯坏了")
	f.press(cadreZhai, "res:"+itoa(tk.ID))
	f.text(cadreZhai, "/cancel")
	if c := f.chat(cadreZhai); c.State != stateIdle {
		t.Fatalf("state = %q", c.State)
	}
	f.text(cadreZhai, "随便说一句")
	if tk = f.ticket(tk.ID); tk.State != "assigned" {
		t.Fatalf("text after /cancel resolved the ticket: %s", tk.State)
	}
	if m := f.last(cadreZhai); m.Kind != notice.KindRefusal || !contains(m.Text, "/tasks") {
		t.Errorf("idle staff text → %s %q", m.Kind, m.Text)
	}
}

// TestRefusals: every forged, stale or out-of-role press gets a polite
// toast and changes nothing.
func TestRefusals(t *testing.T) {
	f := newFixture(t)
	for _, id := range []int64{cadreZhai, cadreLiang, leaderEast} {
		f.text(id, "/start")
	}
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "西片区", "梁家务村")
	tk := f.report(residentA, "路灯坏了")
	id := itoa(tk.ID)
	tests := []struct {
		name string
		who  int64
		data string
		want string
	}{
		{"resident presses accept", residentA, "acc:" + id, notice.RefuseNotStaff},
		{"resident presses escalate", residentA, "esc:" + id, notice.RefuseNotStaff},
		{"other village's cadre accepts", cadreLiang, "acc:" + id, notice.RefuseNotYours},
		{"other village's cadre resolves", cadreLiang, "res:" + id, notice.RefuseNotYours},
		{"other village's cadre opens transfer", cadreLiang, "trm:" + id, notice.RefuseNotYours},
		{"other village's cadre transfers", cadreLiang, "tr:" + id + ":" + itoa(cadreLiang), notice.RefuseNotYours},
		{"other village's cadre escalates", cadreLiang, "esc:" + id, notice.RefuseNotYours},
		{"leader accepts (not the handler)", leaderEast, "acc:" + id, notice.RefuseNotYours},
		{"garbage data", cadreZhai, "吃了吗", notice.RefuseStale},
		{"too long data", cadreZhai, "acc:" + id + ":" + string(make([]byte, 70)), notice.RefuseStale},
		{"id not a number", cadreZhai, "acc:abc", notice.RefuseStale},
		{"unknown ticket", cadreZhai, "acc:999999", notice.RefuseNotFound},
		{"unknown verb", cadreZhai, "nuke:" + id, notice.RefuseNotFound},
		{"transfer to a leader (not offered)", cadreZhai, "tr:" + id + ":" + itoa(leaderEast), notice.RefuseStale},
		{"transfer to nobody", cadreZhai, "tr:" + id + ":42", notice.RefuseStale},
		{"transfer to self", cadreZhai, "tr:" + id + ":" + itoa(cadreZhai), notice.RefuseStale},
		{"transfer menu of unknown area", cadreZhai, "trm:" + id + ":a:火星片区", notice.RefuseStale},
		{"accept with an argument", cadreZhai, "acc:" + id + ":x", notice.RefuseStale},
		{"other resident rates", residentB, "rate:" + id + ":5", notice.RefuseNotFound},
		{"other resident unresolved", residentB, "unres:" + id, notice.RefuseNotFound},
		{"rating out of range", residentA, "rate:" + id + ":9", notice.RefuseStale},
		{"rating an open ticket", residentA, "rate:" + id + ":5", notice.RefuseState("assigned")},
		{"unresolved on an open ticket", residentA, "unres:" + id, notice.RefuseState("assigned")},
		{"unknown village", residentA, "vil:0:火星村", notice.RefuseStale},
		{"unknown area", residentA, "area:0:火星片区", notice.RefuseStale},
		{"bad tag", residentA, "tag:0:rich=yes", notice.RefuseStale},
		{"staff presses registration", cadreZhai, "vil:0:翟各庄村", notice.RefuseNoRegistering},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			before := f.snapshot()
			if got := f.press(tc.who, tc.data); got != tc.want {
				t.Errorf("toast = %q, want %q", got, tc.want)
			}
			if after := f.snapshot(); after != before {
				t.Errorf("changed:\n%s\n%s", before, after)
			}
		})
	}
}

func TestRedeliveredUpdateHasNoSecondEffect(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	upd := f.message(residentA, models.Message{Text: "路灯坏了"})
	f.handle(upd)
	before := f.snapshot()
	f.handle(upd)
	if err := f.h.Process(f.ctx, upd); err != nil {
		t.Fatal(err)
	}
	if f.snapshot() != before {
		t.Fatal("redelivered update had an effect")
	}
	// Same for a press: the accept runs once, the second press is a no-op
	// (not even a refusal is queued).
	tk := f.ticket(f.last(residentA).TicketID)
	f.nextID++
	u := f.user(cadreZhai)
	press := &models.Update{ID: f.nextID, CallbackQuery: &models.CallbackQuery{ID: "once", From: u, Data: "acc:" + itoa(tk.ID),
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: 5, Date: 1, Chat: models.Chat{ID: cadreZhai, Type: models.ChatTypePrivate}}}}}
	f.handle(press)
	once := f.snapshot()
	f.handle(press)
	if f.snapshot() != once {
		t.Fatal("redelivered press had an effect")
	}
}

func TestReplayProcessesJournalledUpdates(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	// The service journalled these and stopped before processing them.
	var ids []int64
	for _, text := range []string{"路灯坏了", "垃圾没人收"} {
		upd := f.message(residentA, models.Message{Text: text})
		raw, _ := json.Marshal(upd)
		if err := f.db.JournalUpdate(f.ctx, upd.ID, raw, f.now); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, upd.ID)
	}
	if err := f.db.JournalUpdate(f.ctx, 1, []byte("{not json"), f.now); err != nil {
		t.Fatal(err)
	}
	n, err := f.h.Replay(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("replay = %d, %v", n, err)
	}
	receipts := f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindReceipt})
	if len(receipts) != 2 {
		t.Fatalf("receipts = %d", len(receipts))
	}
	for _, id := range append(ids, 1) {
		if j, p, err := f.db.UpdateProcessed(f.ctx, id); err != nil || !j || !p {
			t.Errorf("update %d journalled=%v processed=%v err=%v", id, j, p, err)
		}
	}
	// A second replay finds nothing.
	if n, err := f.h.Replay(context.Background()); err != nil || n != 0 {
		t.Errorf("second replay = %d, %v", n, err)
	}
}

func TestGroupsAndBlocksAreIgnored(t *testing.T) {
	f := newFixture(t)
	before := f.snapshot()
	f.nextID++
	u := f.user(residentA)
	f.handle(&models.Update{ID: f.nextID, Message: &models.Message{ID: 1, From: &u, Date: 1, Text: "路灯坏了",
		Chat: models.Chat{ID: -100, Type: models.ChatTypeGroup}}})
	f.nextID++
	var blocked models.Update
	raw := `{"update_id":` + itoa(f.nextID) + `,"my_chat_member":{"chat":{"id":900000001,"type":"private"},"from":{"id":900000001,"is_bot":false,"first_name":"张大爷"},"date":1,` +
		`"old_chat_member":{"status":"member","user":{"id":7,"is_bot":true,"first_name":"bot"}},"new_chat_member":{"status":"kicked","user":{"id":7,"is_bot":true,"first_name":"bot"},"until_date":0}}}`
	if err := json.Unmarshal([]byte(raw), &blocked); err != nil {
		t.Fatal(err)
	}
	f.handle(&blocked)
	if f.snapshot() != before {
		t.Fatal("a group message or a block opened something")
	}
}

// checkReopened checks what 未解决 caused: the rating message lost its
// buttons, the resident was asked what is still wrong, and the cadre's new
// card says the result was rejected and what it was.
func checkReopened(t *testing.T, f *fixture, note string) {
	t.Helper()
	if ms := f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindPressed}); len(ms) == 0 ||
		ms[len(ms)-1].EditMessageID != 99 || len(ms[len(ms)-1].Buttons) != 0 {
		t.Errorf("the rating message must lose its buttons: %+v", ms)
	}
	if m := f.last(residentA); m.Kind != notice.KindAskReason {
		t.Errorf("the resident was not asked what is still wrong: %s %q", m.Kind, m.Text)
	}
	if m := f.last(cadreZhai); m.Kind != notice.KindCard || !contains(m.Text, "紧急") || !contains(m.Text, "居民反馈未解决") ||
		!contains(m.Text, "上次办理结果："+note) {
		t.Errorf("cadre got %s %q", m.Kind, m.Text)
	}
}

// An area leader's /tasks lists, besides their 片区's, a ticket they
// handle elsewhere: one escalated to them before its village moved to
// another 片区 in a roster re-import.
func TestTasksOfAnAreaLeaderIncludeTheirOwnElsewhere(t *testing.T) {
	f := newFixture(t)
	for _, id := range []int64{cadreLiang, leaderEast} {
		f.text(id, "/start")
	}
	f.register(residentB, "西片区", "梁家务村")
	west := f.report(residentB, "路灯不亮")
	other := f.report(residentB, "垃圾好几天没人收了")
	if err := f.db.Update(f.ctx, func(tx *storage.Tx) error {
		west.HandlerID, west.HandlerName, west.HandlerRole, west.Level = roster.StaffID(leaderEast), "刘振宇", roster.AreaLeader, 1
		return tx.SaveTicket(f.ctx, west)
	}); err != nil {
		t.Fatal(err)
	}
	f.text(leaderEast, "/tasks")
	lt := f.last(leaderEast).Text
	if !contains(lt, west.Number) {
		t.Errorf("the leader's tasks miss the ticket they handle in another 片区:\n%s", lt)
	}
	if contains(lt, other.Number) {
		t.Errorf("the leader's tasks show another 片区's ticket they do not handle:\n%s", lt)
	}
}
