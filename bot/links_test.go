package bot

import (
	"testing"

	"hotline/notice"
	"hotline/routing"
)

func TestLinkCommands(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "东片区", "翟各庄村")
	first := f.report(residentA, "村口的路灯坏了")
	second := f.report(residentB, "村口路灯不亮了")
	if second.LinkedTo != first.ID {
		t.Fatalf("second not linked: %+v", second)
	}
	f.text(cadreZhai, "/ticket "+first.Number)
	if m := f.last(cadreZhai); !contains(m.Text, second.Number) || !contains(m.Text, "/unlink") || !contains(m.Text, "反映人数") {
		t.Errorf("/ticket = %q", m.Text)
	}
	// The linked resident knows the first number and may look it up.
	f.text(residentB, "/ticket "+first.Number)
	if m := f.last(residentB); m.Kind != notice.KindTicketView || !contains(m.Text, "村口路灯不亮了") || !contains(m.Text, "曾令发") {
		t.Errorf("linked resident's /ticket = %q", m.Text)
	}
	f.text(cadreLiang, "/unlink "+second.Number)
	if m := f.last(cadreLiang); !contains(m.Text, "没有找到") {
		t.Errorf("another village's cadre /unlink = %q", m.Text)
	}
	f.text(cadreZhai, "/unlink "+second.Number)
	if got := f.ticket(second.ID); got.State != routing.Assigned || got.LinkedTo != 0 {
		t.Fatalf("after /unlink: %+v", got)
	}
	if m := f.last(residentB); m.Kind != notice.KindUnlinked {
		t.Errorf("resident B last told %s", m.Kind)
	}
	f.text(cadreZhai, "/link "+second.Number+" "+first.Number)
	if m := f.last(cadreZhai); !contains(m.Text, "已把工单") {
		t.Errorf("/link = %q", m.Text)
	}
	if got := f.ticket(second.ID); got.State != routing.Linked || got.LinkedTo != first.ID {
		t.Errorf("after /link: %+v", got)
	}
	f.text(cadreZhai, "/link "+first.Number+" "+first.Number)
	if m := f.last(cadreZhai); m.Text != notice.RefuseNotLinkable {
		t.Errorf("/link to itself = %q", m.Text)
	}
	f.text(cadreZhai, "/link "+first.Number)
	if m := f.last(cadreZhai); m.Text != notice.AskLink {
		t.Errorf("/link with one number = %q", m.Text)
	}
}
