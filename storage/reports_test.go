package storage

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A run of a kind or category this version does not know is refused when
// read, not acted on.
func TestRunsOfUnknownKindRefused(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx *Tx) error {
		if _, _, err := tx.StartRun(ctx, Run{Campaign: "sms", Slot: now, Kind: "sms"}, now); err == nil || !strings.Contains(err.Error(), `unknown campaign kind "sms"`) {
			t.Errorf("unknown kind: %v", err)
		}
		if _, _, err := tx.StartRun(ctx, Run{Campaign: "x", Slot: now, Kind: CampaignCheckin, Category: "cats"}, now); err == nil || !strings.Contains(err.Error(), `unknown category "cats"`) {
			t.Errorf("unknown category: %v", err)
		}
		_, _, err := tx.StartRun(ctx, Run{Campaign: "ok", Slot: now, Kind: CampaignCheckin, Category: "power"}, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The lists the minute jobs and /tasks read use the small indexes over open
// tickets and a period's tickets, never a scan of every ticket.
func TestQueriesUseTheirIndexes(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	plan := func(q string, args ...any) string {
		var out []string
		err := db.View(ctx, func(tx *Tx) error {
			rows, err := tx.tx.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				out = append(out, detail)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, "; ")
	}
	for _, tc := range []struct {
		name, q, want string
	}{
		{"due tickets", `SELECT id FROM tickets INDEXED BY tickets_open WHERE ` + openTerm + ` AND wake_at <= '2026'`, "tickets_open"},
		{"open in an area", `SELECT id FROM tickets` + openIndex(TicketFilter{Open: true, Area: "东片区"}) + ` WHERE area = '东片区' AND ` + openTerm, "tickets_open"},
		{"a handler's open", `SELECT id FROM tickets` + openIndex(TicketFilter{Open: true, HandlerID: 7}) + ` WHERE handler_id = 7 AND ` + openTerm, "tickets_open"},
		{"a period", `SELECT count(*) FROM tickets WHERE created_at >= '2026-11' AND created_at < '2026-12'`, "tickets_created"},
		{"accepted in a period", `SELECT count(*) FROM tickets k WHERE k.accepted_at >= '2026-11' AND k.accepted_at < '2026-12'`, "tickets_accepted"},
		{"resolved in a period", `SELECT count(*) FROM tickets k WHERE k.resolved_at >= '2026-11' AND k.resolved_at < '2026-12'`, "tickets_resolved"},
	} {
		if got := plan(tc.q); !strings.Contains(got, tc.want) || strings.Contains(got, "SCAN tickets ") && !strings.Contains(got, "USING") {
			t.Errorf("%s: plan %q, want %s", tc.name, got, tc.want)
		}
	}
}
