package storage

import (
	"context"
	"testing"
)

// A busy year passes 999,999 tickets: the number grows a digit, is found
// by its number, and lists keep the order the tickets were opened in
// (by id, never by the number's text, where "2026-1000000" sorts first).
func TestTicketNumbersPastAMillion(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var nums []string
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO ticket_numbers (year, last) VALUES (2026, 999998)`); err != nil {
			return err
		}
		for range 3 {
			tk := Ticket{Text: "x", Category: "other", Urgency: "low", State: "new", CreatedAt: t0, AcceptBy: t0, ResolveBy: t0}
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
			nums = append(nums, tk.Number)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2026-999999", "2026-1000000", "2026-1000001"}
	for i := range want {
		if nums[i] != want[i] {
			t.Fatalf("numbers = %v, want %v", nums, want)
		}
	}
	err = db.View(ctx, func(tx *Tx) error {
		for _, n := range want {
			tk, err := tx.TicketByNumber(ctx, n)
			if err != nil || tk.Number != n {
				t.Errorf("TicketByNumber(%s) = %s, %v", n, tk.Number, err)
			}
		}
		for _, newest := range []bool{false, true} {
			ts, err := tx.Tickets(ctx, TicketFilter{NewestFirst: newest})
			if err != nil {
				return err
			}
			for i, tk := range ts {
				w := want[i]
				if newest {
					w = want[len(want)-1-i]
				}
				if tk.Number != w {
					t.Errorf("newest first %v: list[%d] = %s, want %s", newest, i, tk.Number, w)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
