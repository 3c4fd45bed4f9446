package conversation

import (
	"slices"
	"strings"
	"testing"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// A registered resident reporting an emergency gets the advice first, then
// the receipt of an urgent ticket routed as usual; every centre staff
// member who started the bot is told at once, in the ticket lane.
func TestEmergencyRegistered(t *testing.T) {
	tests := []struct {
		name     string
		gasPhone string
		text     string
		handler  int64
		advice   []string // the advice says these
		never    []string // and never these
	}{
		{"gas with the company's line", "0316-1234567", "家里煤气好像漏气了，味道很大，怎么办", safetyDept,
			[]string{"不要</b>开关电灯", "不要</b>在屋里打电话", "打开门窗", "燃气公司抢修 <b>0316-1234567</b>", "119", "120", "已同时通知"}, nil},
		{"gas without a configured line", "", "厨房一股煤气味 是不是漏了", safetyDept,
			[]string{"不要</b>开关电灯", "119"}, []string{"燃气公司"}},
		{"someone fallen", "", "老头子摔倒了起不来", 300000010,
			[]string{"120", "不要</b>随便搬动", "保暖"}, nil},
		{"a live wire", "", "大风把电线刮断了 掉在路上 还冒火花", cadreZhai,
			[]string{"不要</b>碰电线", "10 米", "95598"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, withConfig(Config{GasPhone: tc.gasPhone}))
			f.start(cadreZhai, tc.handler, centreHan) // 杜明辉 never started: he cannot be written to
			f.register(residentA, "东片区", "翟各庄村")
			n, c := f.count(residentA), f.count(centreHan)
			f.text(residentA, tc.text)
			got := f.since(residentA, n)
			if !slices.Equal(kinds(got), []string{notice.KindEmergencyAdvice, notice.KindReceipt}) {
				t.Fatalf("resident got %v", kinds(got))
			}
			for _, want := range tc.advice {
				if !strings.Contains(got[0].Text, want) {
					t.Errorf("advice lacks %q:\n%s", want, got[0].Text)
				}
			}
			for _, not := range tc.never {
				if strings.Contains(got[0].Text, not) {
					t.Errorf("advice says %q:\n%s", not, got[0].Text)
				}
			}
			tk := f.ticket(got[1].TicketID)
			if tk.Urgency != taxonomy.Urgent || tk.Emergency == "" || tk.Village != "翟各庄村" {
				t.Errorf("ticket = %+v", tk)
			}
			if int64(tk.HandlerID) != tc.handler {
				t.Errorf("handler = %d, want %d", tk.HandlerID, tc.handler)
			}
			alert := f.since(centreHan, c)
			if len(alert) != 1 || alert[0].Kind != notice.KindEmergencyCentre || alert[0].Lane != storage.LaneTicket ||
				!strings.Contains(alert[0].Text, tk.Number) || !strings.Contains(alert[0].Text, "翟各庄村") {
				t.Errorf("centre got %+v", alert)
			}
			if ms := f.outbox(storage.OutboxFilter{ChatID: centreDu, Kind: notice.KindEmergencyCentre}); len(ms) != 0 {
				t.Errorf("a centre member who never started the bot was queued %d alerts", len(ms))
			}
			card := f.last(int64(tk.HandlerID))
			if card.Kind != notice.KindCard || !strings.Contains(card.Text, "紧急情况") {
				t.Errorf("card = %s %q", card.Kind, card.Text)
			}
		})
	}
}

// Someone not registered gets the advice first, then the receipt of a
// ticket for the village their words name, or for the centre when they
// name none; only then are they asked where they live.
func TestEmergencyUnregistered(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		village string
		handler int64
	}{
		{"names a village", "翟各庄村村口有人掉河里了 快来人", "翟各庄村", 0},
		{"names none", "快来人啊 俺家灶火那冒火苗子了 扑不灭", "", centreHan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.start(cadreZhai, centreHan, centreDu)
			out := f.text(residentA, tc.text)
			got := f.outbox(storage.OutboxFilter{ChatID: residentA})
			if !slices.Equal(kinds(got), []string{notice.KindEmergencyAdvice, notice.KindReceipt, notice.KindEmergencyRegister}) {
				t.Fatalf("resident got %v", kinds(got))
			}
			if len(got[2].Buttons) == 0 {
				t.Error("the registration question has no 片区 to pick")
			}
			if tc.village != "" && !strings.Contains(buttonData(got[2])[0], tc.village) {
				t.Errorf("the guessed village is not offered first: %v", buttonData(got[2]))
			}
			ts := f.tickets(residentA)
			if len(ts) != 1 || ts[0].Village != tc.village || ts[0].Urgency != taxonomy.Urgent || ts[0].Emergency == "" {
				t.Fatalf("tickets = %+v", ts)
			}
			if tc.handler != 0 && int64(ts[0].HandlerID) != tc.handler {
				t.Errorf("handler = %d, want %d", ts[0].HandlerID, tc.handler)
			}
			// Both centre members know; the one holding the card as its
			// handler gets the card, not a second message.
			for _, c := range []int64{centreHan, centreDu} {
				ks := kinds(f.outbox(storage.OutboxFilter{ChatID: c, TicketID: ts[0].ID}))
				want := notice.KindEmergencyCentre
				if c == int64(ts[0].HandlerID) {
					want = notice.KindCard
				}
				if !slices.Contains(ks, want) {
					t.Errorf("centre %d got %v, want %s", c, ks, want)
				}
			}
			if out.Answer != "" || f.chat(residentA).State != stateIdle {
				t.Errorf("left state %q", f.chat(residentA).State)
			}
			// Registering afterwards opens nothing more: the words are a
			// ticket already.
			f.press(residentA, "area:0:东片区")
			f.press(residentA, "vil:0:翟各庄村")
			if n := len(f.tickets(residentA)); n != 1 {
				t.Errorf("%d tickets after registering", n)
			}
		})
	}
}

// A near miss — a hazard, a worry, a past event — is an ordinary report:
// no advice, no alert.
func TestEmergencyNearMisses(t *testing.T) {
	f := newFixture(t)
	f.start(centreHan)
	f.register(residentA, "东片区", "翟各庄村")
	for _, text := range []string{
		"我担心会着火",
		"昨天晚上柴火垛着火了，已经灭了，没伤着人",
		"电线老化了 容易着火 能不能来换换",
		"去年冬天隔壁家煤气中毒 今年想装个报警器 哪里买",
	} {
		n, c := f.count(residentA), f.count(centreHan)
		f.text(residentA, text)
		if got := kinds(f.since(residentA, n)); !slices.Equal(got, []string{notice.KindReceipt}) {
			t.Errorf("%q: resident got %v", text, got)
		}
		if got := kinds(f.since(centreHan, c)); slices.Contains(got, notice.KindEmergencyCentre) {
			t.Errorf("%q: centre got %v", text, got)
		}
	}
}

// The advice covers every situation the detector finds, and says what
// never to do for each.
func TestEmergencyAdviceCoversEveryKind(t *testing.T) {
	for _, kind := range notice.EmergencyKinds() {
		m := notice.EmergencyAdvice(kind, "")
		if !strings.Contains(m.Text, "<b>不") || !strings.ContainsAny(m.Text, "0123456789") || m.Lane != "" {
			t.Errorf("%s: %q", kind, m.Text)
		}
		if notice.EmergencyName(kind) == "紧急情况" {
			t.Errorf("%s has no name", kind)
		}
	}
	if r := roster.Demo(); len(r.Centers()) < 2 {
		t.Fatal("the demo roster should have two centre members for these tests")
	}
}
