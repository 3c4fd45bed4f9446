package conversation

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
)

// resolvedTicket has the cadre resolve a report of residentA with note
// and returns it.
func resolvedTicket(f *fixture, note string) storage.Ticket {
	f.t.Helper()
	f.start(cadreZhai)
	f.register(residentA, "东片区", "翟各庄村")
	f.text(residentA, "村口路灯坏了")
	tk := f.tickets(residentA)[0]
	f.press(cadreZhai, "res:"+itoa(tk.ID))
	f.text(cadreZhai, note)
	return f.ticket(tk.ID)
}

// On 未解决 the resident is asked, once, what is still wrong; the handler's
// new card says the resident rejected the result and what it was, and
// their words, once they come, go on the card and to the handler.
func TestReopenWithTheReason(t *testing.T) {
	f := newFixture(t)
	tk := resolvedTicket(f, "已更换灯泡")
	c := f.count(cadreZhai)
	n := f.count(residentA)
	f.press(residentA, "unres:"+itoa(tk.ID))

	asked := f.since(residentA, n)
	if got := kinds(asked); !slices.Equal(got, []string{notice.KindReopened, notice.KindPressed, notice.KindAskReason}) {
		t.Fatalf("resident got %v", got)
	}
	card := f.since(cadreZhai, c)[0]
	if card.Kind != notice.KindCard || !strings.Contains(card.Text, "居民反馈未解决") || !strings.Contains(card.Text, "上次办理结果：已更换灯泡") {
		t.Fatalf("new card = %s %q", card.Kind, card.Text)
	}
	if st := f.chat(residentA).State; st != stateReason {
		t.Fatalf("state = %q", st)
	}

	f.now = f.now.Add(10 * time.Minute)
	c, n = f.count(cadreZhai), f.count(residentA)
	f.text(residentA, "灯还是不亮，是线路的问题")
	if ts := f.tickets(residentA); len(ts) != 1 {
		t.Fatalf("the reason opened a ticket: %d tickets", len(ts))
	}
	after := f.ticket(tk.ID)
	if after.ReopenReason != "灯还是不亮，是线路的问题" || after.ReopenNote != "已更换灯泡" {
		t.Errorf("ticket = %+v", after)
	}
	got := f.since(cadreZhai, c)
	if !slices.Equal(kinds(got), []string{notice.KindCardEdit, notice.KindReasonAddendum}) ||
		!strings.Contains(got[0].Text, "居民说：灯还是不亮") || !strings.Contains(got[1].Text, "灯还是不亮") {
		t.Errorf("cadre got %v", got)
	}
	if got := kinds(f.since(residentA, n)); !slices.Equal(got, []string{notice.KindReasonNoted}) {
		t.Errorf("resident got %v", got)
	}
	if st := f.chat(residentA).State; st != stateIdle {
		t.Errorf("state = %q", st)
	}
}

// The question ends without an answer: after reasonWithin, with a button,
// with /cancel. The next words are then a report of their own.
func TestReopenReasonIsOptional(t *testing.T) {
	tests := []struct {
		name string
		end  func(f *fixture, tk storage.Ticket)
	}{
		{"time passes", func(f *fixture, _ storage.Ticket) { f.now = f.now.Add(reasonWithin + time.Minute) }},
		{"a button", func(f *fixture, tk storage.Ticket) { f.press(residentA, "rcm:"+itoa(tk.ID)) }},
		{"/cancel", func(f *fixture, _ storage.Ticket) { f.text(residentA, "/cancel") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tk := resolvedTicket(f, "已修好")
			f.press(residentA, "unres:"+itoa(tk.ID))
			tc.end(f, tk)
			f.text(residentA, "另外家门口停水了")
			if ts := f.tickets(residentA); len(ts) != 2 {
				t.Fatalf("%d tickets, want the words as a new one", len(ts))
			}
			if f.ticket(tk.ID).ReopenReason != "" {
				t.Error("the words went to the reopened ticket")
			}
		})
	}
}

// Words for a ticket resolved again meanwhile are a new report.
func TestReopenReasonForATicketDoneMeanwhile(t *testing.T) {
	f := newFixture(t)
	tk := resolvedTicket(f, "已修好")
	f.press(residentA, "unres:"+itoa(tk.ID))
	f.press(cadreZhai, "res:"+itoa(tk.ID))
	f.text(cadreZhai, "换了线路")
	f.text(residentA, "谢谢，这回好了")
	if ts := f.tickets(residentA); len(ts) != 2 {
		t.Errorf("%d tickets", len(ts))
	}
	if f.ticket(tk.ID).ReopenReason != "" {
		t.Error("a reason went on a resolved ticket")
	}
}

func TestParseReason(t *testing.T) {
	tests := []struct {
		data string
		ok   bool
	}{
		{"12@1764320400", true},
		{"12", false},
		{"x@1", false},
		{"0@1", false},
		{"12@never", false},
		{"", false},
	}
	for _, tt := range tests {
		if _, _, ok := parseReason(tt.data); ok != tt.ok {
			t.Errorf("parseReason(%q) ok = %v", tt.data, ok)
		}
	}
}
