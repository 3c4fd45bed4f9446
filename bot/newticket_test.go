package bot

import (
	"strings"
	"testing"

	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
)

// newTickets lists the tickets staff opened for others, oldest first.
func (f *fixture) openedFor() []storage.Ticket {
	f.t.Helper()
	var out []storage.Ticket
	for _, src := range []taxonomy.Source{taxonomy.Visit, taxonomy.Phone, taxonomy.Walkin} {
		var ts []storage.Ticket
		err := f.db.View(f.ctx, func(tx *storage.Tx) error {
			var err error
			ts, err = tx.Tickets(f.ctx, storage.TicketFilter{Source: src})
			return err
		})
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, ts...)
	}
	return out
}

// The guided /new: a cadre with one village skips the village; the
// requester is asked (and may be given), then the source by button.
func TestNewGuidedByCadre(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.text(cadreZhai, "/new")
	if m := f.last(cadreZhai); m.Kind != notice.KindNewStep || !contains(m.Text, "翟各庄村") || !contains(m.Text, "什么问题") {
		t.Fatalf("first question = %s %q", m.Kind, m.Text)
	}
	f.text(cadreZhai, "村口的路灯坏了三天了，晚上老人出门不方便")
	if m := f.last(cadreZhai); !contains(m.Text, "姓名和电话") || len(m.Buttons) != 1 {
		t.Fatalf("requester question = %q", m.Text)
	}
	f.text(cadreZhai, "张大爷，电话 13800001111")
	m := f.last(cadreZhai)
	if !slicesEqual(buttonTexts(m), []string{"走访", "电话", "来访"}) {
		t.Fatalf("source question = %q %v", m.Text, buttonTexts(m))
	}
	if got := f.press(cadreZhai, "nsrc:0:phone"); got != "电话" {
		t.Errorf("source toast = %q", got)
	}
	ts := f.openedFor()
	if len(ts) != 1 {
		t.Fatalf("%d tickets opened", len(ts))
	}
	tk := ts[0]
	type fields struct {
		src                  taxonomy.Source
		village, name, phone string
		opener, handler      int64
		resident             int64
		cat                  taxonomy.Category
	}
	got := fields{tk.Source, tk.Village, tk.RequesterName, tk.RequesterPhone, int64(tk.OpenedBy), int64(tk.HandlerID), tk.ResidentID, tk.Category}
	if want := (fields{taxonomy.Phone, "翟各庄村", "张大爷", "13800001111", cadreZhai, cadreZhai, 0, taxonomy.Roads}); got != want {
		t.Errorf("ticket = %+v, want %+v", got, want)
	}
	if ack := f.outbox(storage.OutboxFilter{ChatID: cadreZhai, Kind: notice.KindNewOpened}); len(ack) != 1 || !contains(ack[0].Text, tk.Number) {
		t.Errorf("ack = %+v", ack)
	}
	// The cadre is also its handler: the card shows the number to call.
	card := f.outbox(storage.OutboxFilter{ChatID: cadreZhai, Kind: notice.KindCard})
	if len(card) != 1 || !contains(card[0].Text, "13800001111") || !contains(card[0].Text, "请电话联系") {
		t.Errorf("card = %+v", card)
	}
	if c := f.chat(cadreZhai); c.State != stateIdle {
		t.Errorf("state after /new = %q", c.State)
	}
	// A stale source button changes nothing.
	if got := f.press(cadreZhai, "nsrc:0:visit"); got != notice.RefuseStale {
		t.Errorf("stale press = %q", got)
	}
	if n := len(f.openedFor()); n != 1 {
		t.Errorf("%d tickets after a stale press", n)
	}
}

// One line does it all; the centre picks a village anywhere, the source
// may be written in the line, and a promise is recorded.
func TestNewOneLine(t *testing.T) {
	f := newFixture(t)
	f.text(centre, "/start")
	f.text(cadreLiang, "/start")
	f.text(centre, "/new 梁家务村 李奶奶 13912345678 家门口的下水道堵了，污水漫到路上 来访 本周内答复")
	ts := f.openedFor()
	if len(ts) != 1 {
		t.Fatalf("%d tickets: last message %q", len(ts), f.last(centre).Text)
	}
	tk := ts[0]
	if tk.Source != taxonomy.Walkin || tk.Village != "梁家务村" || tk.RequesterName != "李奶奶" || tk.RequesterPhone != "13912345678" ||
		tk.Text != "家门口的下水道堵了，污水漫到路上" || tk.ReplyBy.IsZero() {
		t.Errorf("ticket = %+v", tk)
	}
	ack := f.last(centre)
	if ack.Kind != notice.KindNewOpened || !contains(ack.Text, "答复承诺") {
		t.Errorf("ack = %s %q", ack.Kind, ack.Text)
	}
	// Without a source word the line asks for it, with buttons.
	f.text(centre, "/new 翟各庄村 13800001111 村口路灯坏了")
	if m := f.last(centre); !contains(m.Text, "怎么来的") {
		t.Fatalf("source question = %q", m.Text)
	}
	f.press(centre, "nsrc:0:visit")
	ts = f.openedFor()
	if len(ts) != 2 {
		t.Fatalf("%d tickets", len(ts))
	}
	var visit storage.Ticket
	for _, tk := range ts {
		if tk.Source == taxonomy.Visit {
			visit = tk
		}
	}
	if visit.Village != "翟各庄村" || visit.RequesterName != "" || visit.RequesterPhone != "13800001111" || visit.Text != "村口路灯坏了" {
		t.Errorf("visit ticket = %+v", visit)
	}
}

// The centre is asked for the 片区 and then the village; typing a name
// works too; /cancel leaves nothing behind.
func TestNewCentreMenusAndCancel(t *testing.T) {
	f := newFixture(t)
	f.text(centre, "/start")
	f.text(centre, "/new")
	m := f.last(centre)
	if !contains(m.Text, "片区") || len(m.Buttons) == 0 {
		t.Fatalf("area menu = %q", m.Text)
	}
	f.press(centre, "na:0:东片区")
	m = f.last(centre)
	if !slicesContain(buttonTexts(m), "翟各庄村") || slicesContain(buttonTexts(m), "梁家务村") {
		t.Fatalf("villages of 东片区 = %v", buttonTexts(m))
	}
	if got := f.press(centre, "nv:0:翟各庄村"); got != "翟各庄村" {
		t.Errorf("village toast = %q", got)
	}
	if m := f.last(centre); !contains(m.Text, "什么问题") {
		t.Fatalf("text question = %q", m.Text)
	}
	f.text(centre, "/cancel")
	if c := f.chat(centre); c.State != stateIdle {
		t.Errorf("state after /cancel = %q", c.State)
	}
	if n := len(f.openedFor()); n != 0 {
		t.Errorf("%d tickets after /cancel", n)
	}
	// Typed village, after one the roster does not know.
	f.text(centre, "/new")
	f.text(centre, "火星")
	if m := f.last(centre); m.Text != notice.NewUnknownPlace {
		t.Errorf("unknown place answer = %q", m.Text)
	}
	f.text(centre, "东寺庄")
	if m := f.last(centre); !contains(m.Text, "东寺庄村") || !contains(m.Text, "什么问题") {
		t.Errorf("typed village = %q", m.Text)
	}
}

// Rights: a cadre cannot open for another village, by line or by button;
// a resident cannot use /new at all.
func TestNewRights(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.text(cadreZhai, "/new 梁家务村 王大妈 路灯坏了 走访")
	if m := f.last(cadreZhai); m.Text != notice.NewNotYourPlace {
		t.Errorf("other village by line = %q", m.Text)
	}
	f.text(leaderEast, "/start")
	f.text(leaderEast, "/new")
	f.press(leaderEast, "nv:0:梁家务村") // forged: not on the leader's menu
	if m := f.last(leaderEast); m.Text != notice.NewNotYourPlace {
		t.Errorf("forged village = %q", m.Text)
	}
	f.register(residentA, "东片区", "翟各庄村")
	f.text(residentA, "/new 翟各庄村 路灯坏了")
	if m := f.last(residentA); m.Text != notice.RefuseStaffOnly {
		t.Errorf("resident /new = %q", m.Text)
	}
	if got := f.press(residentA, "nsrc:0:visit"); got != notice.RefuseNotStaff {
		t.Errorf("resident press = %q", got)
	}
	if n := len(f.openedFor()); n != 0 {
		t.Errorf("%d tickets opened", n)
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

func slicesContain(a []string, s string) bool {
	for _, x := range a {
		if x == s {
			return true
		}
	}
	return false
}
