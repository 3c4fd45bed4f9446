package conversation

import (
	"testing"
	"time"
)

// TestCommand was bot's TestParseCommand: the parsing moved here with the
// conversation, as Inbound.command.
func TestCommand(t *testing.T) {
	tests := []struct{ in, cmd, args string }{
		{"/start", "start", ""},
		{"/start@hotline_bot", "start", ""},
		{"/Ticket@hotline_bot  2026-000001 ", "ticket", "2026-000001"},
		{"/ticket\n2026-000001", "ticket", "2026-000001"},
		{"路灯坏了", "", ""},
		{"/", "", ""},
	}
	for _, tc := range tests {
		cmd, args := Inbound{Message: true, Text: tc.in}.command()
		if cmd != tc.cmd || args != tc.args {
			t.Errorf("command(%q) = %q %q", tc.in, cmd, args)
		}
	}
}

func TestParseTicketNumber(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) // bot's test fixture's clock
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"2026-000123", "2026-000123", true},
		{"2026-123", "2026-000123", true},
		{"#2026－000123", "2026-000123", true},
		{"123", "2026-000123", true},
		{"", "", false},
		{"abc", "", false},
		{"2026-0", "", false},
		{"99-1", "", false},
		{"2026-1234567", "2026-1234567", true}, // a busy year passes 999,999
		{"2026-0001000000", "2026-1000000", true},
		{"1000000", "2026-1000000", true},
		{"2026-999999999", "2026-999999999", true},
		{"2026-1000000000", "", false},
		{"2026-+5", "", false},
		{"1 or 1=1", "", false},
	}
	for _, tc := range tests {
		got, ok := parseTicketNumber(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseTicketNumber(%q) = %q %v", tc.in, got, ok)
		}
	}
}
