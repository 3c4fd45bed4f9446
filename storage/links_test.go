package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"hotline/routing"
	"hotline/taxonomy"
)

// The duplicate check and the fan-out at resolution are index lookups,
// not scans of the tickets table.
func TestLinkQueriesUseIndexes(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for _, q := range []struct {
		sql, want string
		args      []any
	}{
		{`SELECT id FROM tickets WHERE village = ? AND category = ? AND matchable = 1 AND state IN ('new', 'assigned', 'accepted') AND created_at >= ?`,
			"tickets_open_problem", []any{"翟各庄村", "roads", fmtTime(t0)}},
		{`SELECT id FROM tickets WHERE linked_to = ? AND linked_to <> 0`, "tickets_linked", []any{1}},
		{`SELECT count(*) FROM tickets WHERE resident_id = ? AND (id = ? OR linked_to = ?)`, "tickets_resident", []any{1, 1, 1}},
	} {
		rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, q.want) || strings.Contains(p, "SCAN tickets") {
			t.Errorf("%s\nplan: %s\nwant %s", q.sql, p, q.want)
		}
	}
}

func TestOpenProblemsAndLinks(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		for _, r := range []int64{7, 8} {
			if _, err := tx.EnsureResident(ctx, r, "", t0); err != nil {
				return err
			}
		}
		add := func(text, village string, cat taxonomy.Category, state string, at time.Time, linkedTo TicketID, resident int64) Ticket {
			tk := Ticket{Text: text, Village: village, Category: cat, Urgency: "normal", State: routing.State(state), Source: taxonomy.Telegram,
				CreatedAt: at, AcceptBy: at, ResolveBy: at, LinkedTo: linkedTo, ResidentID: resident, Matchable: true}
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		old := add("村口路灯坏了", "翟各庄村", "roads", "assigned", t0.Add(-30*24*time.Hour), 0, 0)
		primary := add("村口路灯不亮", "翟各庄村", "roads", "accepted", t0, 0, 7)
		add("村口路灯修好了", "翟各庄村", "roads", "resolved", t0, 0, 0)
		add("村口停电", "翟各庄村", "power", "assigned", t0, 0, 0)
		add("村口路灯坏了", "梁家务村", "roads", "assigned", t0, 0, 0)
		linked := add("村口灯黑了", "翟各庄村", "roads", "linked", t0.Add(time.Hour), primary.ID, 8)
		home := Ticket{Text: "我家门口的路灯坏了", Village: "翟各庄村", Category: "roads", Urgency: "normal", State: "assigned",
			CreatedAt: t0, AcceptBy: t0, ResolveBy: t0} // not matchable: never a candidate
		if err := tx.InsertTicket(ctx, &home); err != nil {
			return err
		}
		got, err := tx.OpenProblems(ctx, "翟各庄村", "roads", t0.Add(-10*24*time.Hour))
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].ID != primary.ID || got[0].ResidentID != 7 || got[0].Text != "村口路灯不亮" {
			t.Errorf("open problems = %+v (old %d not in the window)", got, old.ID)
		}
		ls, err := tx.LinkedTickets(ctx, primary.ID)
		if err != nil || len(ls) != 1 || ls[0].ID != linked.ID || ls[0].Requesters != 1 {
			t.Errorf("linked = %+v %v", ls, err)
		}
		for r, want := range map[int64]bool{7: true, 8: true, 9: false} {
			if ok, err := tx.IsRequester(ctx, primary.ID, r); err != nil || ok != want {
				t.Errorf("IsRequester(%d) = %v %v", r, ok, err)
			}
		}
		if err := tx.RelinkTickets(ctx, primary.ID, old.ID); err != nil {
			return err
		}
		if ls, _ := tx.LinkedTickets(ctx, old.ID); len(ls) != 1 {
			t.Errorf("relinked = %d", len(ls))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
