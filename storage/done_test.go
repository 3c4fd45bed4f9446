package storage

import (
	"strings"
	"testing"
)

// TestDoneZone: the triggers of ticket_done (migration 0093) spell the
// township's offset as a literal; it must be rollupZone's.
func TestDoneZone(t *testing.T) {
	sql, err := migrations.ReadFile("migrations/0093_done_counts.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := "'" + zoneArg.Value.(string) + "'"
	if n := strings.Count(string(sql), "seconds'"); n == 0 || n != strings.Count(string(sql), want) {
		t.Fatalf("0093 spells the zone other than %s", want)
	}
}
