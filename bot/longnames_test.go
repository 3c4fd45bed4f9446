package bot

import (
	"strings"
	"testing"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

// longNames is the demo roster with a 片区 and a village whose names are
// long enough that naming them in callback data would pass Telegram's 64
// bytes (Telegram then refuses the whole message).
func longNames() (*roster.Roster, string, string) {
	r := roster.Demo()
	const area = "东部山区生态涵养与乡村振兴示范片区第一组"
	const village = "翟各庄村（含东西两个自然村及山后居民点）"
	for i := range r.Villages {
		if r.Villages[i].Area == "东片区" {
			r.Villages[i].Area = area
		}
		if r.Villages[i].Name == "翟各庄村" {
			r.Villages[i].Name = village
		}
	}
	for i := range r.Staff {
		if r.Staff[i].Area == "东片区" {
			r.Staff[i].Area = area
		}
		for j, v := range r.Staff[i].Villages {
			if v == "翟各庄村" {
				r.Staff[i].Villages[j] = village
			}
		}
	}
	return r, area, village
}

func checkData(t *testing.T, m storage.OutboxMessage) {
	t.Helper()
	for _, d := range buttonData(m) {
		if len(d) > notice.MaxData {
			t.Fatalf("%s: callback data %q is %d bytes", m.Kind, d, len(d))
		}
	}
}

// pressLabel presses the button labelled label on m, as Telegram would
// send it, and returns the toast.
func (f *fixture) pressLabel(from int64, m storage.OutboxMessage, label string) string {
	f.t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Text == label {
				return f.press(from, b.Data)
			}
		}
	}
	f.t.Fatalf("no button %q on %s (%v)", label, m.Kind, buttonTexts(m))
	return ""
}

func TestLongNamesFitInCallbackData(t *testing.T) {
	r, area, village := longNames()
	f := newFixtureWith(t, r)
	f.text(cadreZhai, "/start")
	f.text(cadreLiang, "/start")

	f.text(residentA, "/start")
	welcome := f.last(residentA)
	checkData(t, welcome)
	f.pressLabel(residentA, welcome, area)
	menu := f.last(residentA)
	if menu.Kind != notice.KindVillageMenu || !contains(menu.Text, area) {
		t.Fatalf("after the 片区: %s %q", menu.Kind, menu.Text)
	}
	checkData(t, menu)
	f.pressLabel(residentA, menu, village)
	if got := f.resident(residentA).Village; got != village {
		t.Fatalf("registered in %q", got)
	}
	// A text naming the village offers it first, in a keyboard that fits.
	f.text(residentB, "我是"+village+"的，路灯坏了")
	checkData(t, f.last(residentB))

	// The other 片区's cadre opens the transfer menu of a ticket in the
	// long-named 片区 and goes to its cadres' page.
	tk := f.report(residentA, "路灯坏了")
	f.text(centre, "/start")
	f.press(centre, "trm:"+itoa(tk.ID))
	tm := f.last(centre)
	checkData(t, tm)
	f.pressLabel(centre, tm, "村干部："+area)
	page := f.last(centre)
	checkData(t, page)
	if !contains(page.Text, area) || !strings.Contains(strings.Join(buttonTexts(page), ","), "王建国") {
		t.Fatalf("cadres page: %q %v", page.Text, buttonTexts(page))
	}
	// A made-up index is stale, not a crash or another 片区.
	if got := f.press(residentB, "area:0:#99"); got != notice.RefuseStale {
		t.Errorf("bad index toast = %q", got)
	}
}
