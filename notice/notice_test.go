package notice

import (
	"strings"
	"testing"
	"time"

	"hotline/reports"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
)

// Every keyboard the bot builds from the roster must fit Telegram's 64-byte
// callback data, even for a ticket id far beyond any real one.
func TestBotKeyboardsFitCallbackData(t *testing.T) {
	r := roster.Demo()
	rt := routing.New(r)
	tk := storage.Ticket{ID: 9_999_999_999, Number: "2026-999999", HandlerID: 100000001, State: "assigned"}
	check := func(where string, kb [][]storage.Button) {
		t.Helper()
		for _, row := range kb {
			for _, b := range row {
				if len(b.Data) > MaxData || b.Data == "" {
					t.Errorf("%s: %q has %d bytes of data", where, b.Text, len(b.Data))
				}
				if _, err := ParseAction(b.Data); err != nil {
					t.Errorf("%s: %q: %v", where, b.Data, err)
				}
			}
		}
	}
	check("areas", AreaButtons(r, "翟各庄村"))
	for _, a := range r.Areas() {
		check("villages of "+a, VillageMenu(r, a).Buttons)
		check("transfer cadres of "+a, TransferAreaMenu(tk, rt.TransferTargets(tk.HandlerID), r, a))
	}
	check("transfer", TransferMenu(tk, rt.TransferTargets(tk.HandlerID), r))
	check("categories", CategoryMenu(tk).Buttons)
	for _, tag := range TagQuestions {
		check("tag "+tag, TagQuestion(tag).Buttons)
	}
}

func TestVillageDataFallsBackToIndex(t *testing.T) {
	r := roster.Demo()
	long := strings.Repeat("很长的名字", 5) + "村"
	r.Villages = append(r.Villages, roster.Village{Name: long, Area: "东片区"})
	d := VillageData(r, long)
	if len(d) > MaxData || !strings.Contains(d, "#") {
		t.Fatalf("data = %q", d)
	}
	a, err := ParseAction(d)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := VillageFromArg(r, a.Arg); !ok || v.Name != long {
		t.Errorf("VillageFromArg(%q) = %v %v", a.Arg, v.Name, ok)
	}
	for _, bad := range []string{"#", "#-1", "#999", "#1x", "#01", "火星村"} {
		if v, ok := VillageFromArg(r, bad); ok {
			t.Errorf("VillageFromArg(%q) = %q", bad, v.Name)
		}
	}
	if d := VillageData(r, "翟各庄村"); d != "vil:0:翟各庄村" {
		t.Errorf("short name data = %q", d)
	}
}

func TestSortTasksOverdueFirst(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	ts := []storage.Ticket{
		{ID: 1, State: "accepted", ResolveBy: now.Add(48 * time.Hour), AcceptBy: now.Add(-time.Hour)},
		{ID: 2, State: "assigned", AcceptBy: now.Add(time.Hour)},
		{ID: 3, State: "assigned", AcceptBy: now.Add(-2 * time.Hour)},
		{ID: 4, State: "accepted", ResolveBy: now.Add(-time.Minute)},
		{ID: 5, State: "assigned", AcceptBy: now.Add(time.Hour)},
	}
	SortTasks(ts, now)
	var got []storage.TicketID
	for _, tk := range ts {
		got = append(got, tk.ID)
	}
	want := []storage.TicketID{3, 4, 2, 5, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order = %v, want %v", got, want)
		}
	}
	list := TaskList(ts, now, false).Text
	if n := strings.Count(list, "（已超时）"); n != 2 {
		t.Errorf("%d overdue marks, want 2:\n%s", n, list)
	}
}

// A long 片区 name is named by its index, in the registration keyboard and
// in the transfer menu alike, and reads back as the same 片区.
func TestAreaArgFallsBackToIndex(t *testing.T) {
	r := roster.Demo()
	long := strings.Repeat("很长的名字", 4) + "片区"
	r.Villages = append(r.Villages, roster.Village{Name: "长名村", Area: long})
	r.Staff = append(r.Staff, roster.Staff{TelegramID: 5, Name: "长名村干部", Role: roster.VillageCadre, Villages: []string{"长名村"}})
	tk := storage.Ticket{ID: 9_999_999_999, HandlerID: 100000001, State: "assigned"}
	var datas []string
	for _, row := range append(AreaButtons(r, ""), TransferMenu(tk, routing.New(r).TransferTargets(tk.HandlerID), r)...) {
		for _, b := range row {
			if strings.Contains(b.Text, long) {
				datas = append(datas, b.Data)
			}
		}
	}
	if len(datas) != 2 {
		t.Fatalf("buttons for the long 片区: %q", datas)
	}
	for _, d := range datas {
		a, err := ParseAction(d)
		if err != nil || len(d) > MaxData {
			t.Fatalf("data %q: %v", d, err)
		}
		if got, ok := AreaFromArg(r, strings.TrimPrefix(a.Arg, TransferArea)); !ok || got != long {
			t.Errorf("AreaFromArg(%q) = %q %v", a.Arg, got, ok)
		}
	}
	for _, bad := range []string{"#", "#-1", "#99", "#01", "火星片区"} {
		if a, ok := AreaFromArg(r, bad); ok {
			t.Errorf("AreaFromArg(%q) = %q", bad, a)
		}
	}
	if got, ok := AreaFromArg(r, "东片区"); !ok || got != "东片区" {
		t.Errorf("short name = %q %v", got, ok)
	}
}

// A phone number never shows whole, however short.
func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678":       "138****5678",
		"+86 138-1234-5678": "138****5678", // the number people know, not the country code
		"010-69451234":      "010****1234",
		"69451234":          "****1234",
		"6945123":           "****",
		"123":               "****",
		"":                  "",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// Ticket numbers past 999,999 are one digit longer; to-do lists order by
// deadline, then by id (the order tickets were opened), never by the
// number's text, and the card's buttons carry the id, not the number.
func TestTicketNumbersPastAMillion(t *testing.T) {
	due := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	ts := []storage.Ticket{
		{ID: 1_000_001, Number: "2026-1000000", State: "assigned", AcceptBy: due},
		{ID: 1_000_000, Number: "2026-999999", State: "assigned", AcceptBy: due},
	}
	SortTasks(ts, due.Add(-time.Hour))
	if ts[0].Number != "2026-999999" || ts[1].Number != "2026-1000000" {
		t.Fatalf("order = %s, %s", ts[0].Number, ts[1].Number)
	}
	card := Card(ts[1], storage.Resident{})
	if !strings.Contains(card.Text, "2026-1000000") {
		t.Errorf("card text = %q", card.Text)
	}
	if len(card.Buttons) == 0 {
		t.Fatal("card has no buttons")
	}
	for _, row := range card.Buttons {
		for _, b := range row {
			a, err := ParseAction(b.Data)
			if err != nil || a.ID != 1_000_001 || len(b.Data) > MaxData {
				t.Errorf("button %q = %+v, %v", b.Data, a, err)
			}
		}
	}
}

// What the hotline sends on its own initiative goes in the campaign lane,
// so that no caller has to remember; answers to people stay in the ticket
// lane.
func TestLanes(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	tk := storage.Ticket{ID: 7, Number: "2026-000007", State: "assigned", Category: "water", Village: "翟各庄村"}
	campaign := map[string]storage.OutboxMessage{
		"check-in":         CheckinMessage(storage.Run{ID: 1, Kind: "checkin", Text: "供暖正常吗？"}),
		"notice":           NoticeMessage(storage.Run{ID: 1, Kind: "notice", Text: "明天停水"}),
		"year-end":         YearEndMessage(storage.Run{ID: 1, Kind: "yearend", Text: "请给包村干部打分"}),
		"signal residents": SignalResidents("翟各庄村", "water"),
		"signal alert":     SignalAlert("翟各庄村", "water", 3, 2*time.Hour, []string{tk.Number}),
		"digest":           DigestMessage(reports.Digest{Period: reports.Period{Kind: "daily", From: now, To: now}}, time.UTC),
		"visit list":       VisitList("翟各庄村", []storage.Ticket{tk}, nil, now),
		"no answer list":   NoAnswerList("翟各庄村", "供暖问询", []VisitLine{{Name: "王大妈"}}),
		"wednesday list":   WednesdayList("东片区", []string{"翟各庄村"}, map[string][]storage.Ticket{"翟各庄村": {tk}}, now),
	}
	for name, m := range campaign {
		if m.Lane != storage.LaneCampaign {
			t.Errorf("%s: lane %q, want campaign", name, m.Lane)
		}
	}
	ticket := map[string]storage.OutboxMessage{
		"broadcast done": BroadcastDone("东片区", 120),
		"receipt":        Receipt(tk),
		"checkin thanks": CheckinThanks(),
		"reminder":       Reminder(tk, true),
		"fixed ask":      FixedAsk(tk),
	}
	for name, m := range ticket {
		if m.Lane != "" && m.Lane != storage.LaneTicket {
			t.Errorf("%s: lane %q, want the ticket lane", name, m.Lane)
		}
	}
}
