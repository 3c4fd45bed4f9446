package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/width"

	"hotline/roster"
	"hotline/routing"
	"hotline/taxonomy"
)

// storeTickets stores tickets made by mk for i in [0, n) and returns them
// with their ids.
func storeTickets(t *testing.T, db *DB, n int, mk func(i int) Ticket) []Ticket {
	t.Helper()
	ctx := context.Background()
	out := make([]Ticket, 0, n)
	err := db.Update(ctx, func(tx *Tx) error {
		for i := range n {
			tk := mk(i)
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
			if err := tx.SaveTicket(ctx, tk); err != nil {
				return err
			}
			out = append(out, tk)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func numbers(ts []Ticket) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Number
	}
	return out
}

func query(t *testing.T, db *DB, q TicketQuery) []Ticket {
	t.Helper()
	var out []Ticket
	err := db.View(context.Background(), func(tx *Tx) error {
		var err error
		out, err = tx.QueryTickets(context.Background(), q)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var queueTexts = []string{
	"翟各庄村口的路灯坏了一个星期了",
	"屋里冷得睡不着，空气能机器不出热风",
	"家里有煤气味，是不是漏了",
	"村西头 ＡＢＣ 公司半夜施工，噪音太大",
	"自来水管爆了，路灯也不亮",
	"50%的路面都坏了_怎么办",
}

func queueTicket(i int) Ticket {
	states := []routing.State{routing.Assigned, routing.Accepted, routing.Resolved, routing.Closed}
	villages := []string{"翟各庄村", "梁家务村", "运河社区"}
	areas := map[string]string{"翟各庄村": "东片区", "梁家务村": "西片区", "运河社区": "东片区"}
	cats := []taxonomy.Category{taxonomy.Roads, taxonomy.Heating, taxonomy.Safety}
	v := villages[i%3]
	created := t0.Add(time.Duration(i) * time.Hour)
	tk := Ticket{
		Text: queueTexts[i%len(queueTexts)], Category: cats[(i/3)%3], Urgency: taxonomy.Urgencies[i%3],
		Village: v, Area: areas[v], State: states[i%4], HandlerID: roster.StaffID(100 + i%5),
		CreatedAt: created, AcceptBy: created.Add(time.Duration(7-i%7) * time.Hour), ResolveBy: created.Add(48 * time.Hour),
	}
	if i%6 == 5 {
		tk.Campaign = "heating-checkin"
	}
	return tk
}

// TestQueryTicketsFilters checks each filter against the same rule written
// in Go over the whole set, and that pages follow each other.
func TestQueryTicketsFilters(t *testing.T) {
	db := openTest(t)
	all := storeTickets(t, db, 60, queueTicket)
	now := t0.Add(30 * time.Hour)
	due := func(tk Ticket) time.Time { return CursorOf(tk).Due }
	cases := []struct {
		name string
		q    TicketQuery
		want func(Ticket) bool
	}{
		{"all", TicketQuery{Scope: Scope{All: true}}, func(Ticket) bool { return true }},
		{"none", TicketQuery{}, func(Ticket) bool { return false }},
		{"open", TicketQuery{Scope: Scope{All: true}, States: routing.OpenStates}, func(tk Ticket) bool { return tk.State.Open() }},
		{"closed", TicketQuery{Scope: Scope{All: true}, States: []routing.State{routing.Closed}}, func(tk Ticket) bool { return tk.State == routing.Closed }},
		{"area", TicketQuery{Scope: Scope{All: true}, Area: "东片区"}, func(tk Ticket) bool { return tk.Area == "东片区" }},
		{"village", TicketQuery{Scope: Scope{All: true}, Village: "梁家务村"}, func(tk Ticket) bool { return tk.Village == "梁家务村" }},
		{"category", TicketQuery{Scope: Scope{All: true}, Category: taxonomy.Heating}, func(tk Ticket) bool { return tk.Category == taxonomy.Heating }},
		{"urgency", TicketQuery{Scope: Scope{All: true}, Urgency: taxonomy.Urgent}, func(tk Ticket) bool { return tk.Urgency == taxonomy.Urgent }},
		{"handler", TicketQuery{Scope: Scope{All: true}, HandlerID: 102}, func(tk Ticket) bool { return tk.HandlerID == 102 }},
		{"overdue", TicketQuery{Scope: Scope{All: true}, Overdue: true, Now: now}, func(tk Ticket) bool { return tk.State.Open() && due(tk).Before(now) }},
		{"checkin", TicketQuery{Scope: Scope{All: true}, Source: taxonomy.Checkin}, func(tk Ticket) bool { return tk.Source == taxonomy.Checkin }},
		{"telegram", TicketQuery{Scope: Scope{All: true}, Source: taxonomy.Telegram}, func(tk Ticket) bool { return tk.Source == taxonomy.Telegram }},
		{"dates", TicketQuery{Scope: Scope{All: true}, CreatedFrom: t0.Add(10 * time.Hour), CreatedBefore: t0.Add(20 * time.Hour)},
			func(tk Ticket) bool {
				return !tk.CreatedAt.Before(t0.Add(10*time.Hour)) && tk.CreatedAt.Before(t0.Add(20*time.Hour))
			}},
		{"scope and filter", TicketQuery{Scope: Scope{Villages: []string{"运河社区"}, HandlerID: 101}, Urgency: taxonomy.Normal},
			func(tk Ticket) bool {
				return (tk.Village == "运河社区" || tk.HandlerID == 101) && tk.Urgency == taxonomy.Normal
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []Ticket
			for _, tk := range all {
				if c.want(tk) {
					want = append(want, tk)
				}
			}
			slices.SortStableFunc(want, func(a, b Ticket) int {
				if d := due(a).Compare(due(b)); d != 0 {
					return d
				}
				return int(a.ID - b.ID)
			})
			newest := slices.Clone(want)
			slices.SortFunc(newest, func(a, b Ticket) int { return int(b.ID - a.ID) })
			for _, o := range []struct {
				order Order
				want  []Ticket
			}{{ByDeadline, want}, {NewestFirst, newest}} {
				q := c.q
				q.Order = o.order
				if got := query(t, db, q); !slices.Equal(numbers(got), numbers(o.want)) {
					t.Fatalf("order %d: got %v\nwant %v", o.order, numbers(got), numbers(o.want))
				}
				// The same list, four at a time.
				if paged := pages(t, db, q, 4); !slices.Equal(numbers(paged), numbers(o.want)) {
					t.Fatalf("order %d paged %v\nwant %v", o.order, numbers(paged), numbers(o.want))
				}
			}
			var n, capped int
			err := db.View(context.Background(), func(tx *Tx) error {
				var err error
				if n, err = tx.CountTickets(context.Background(), c.q, 0); err != nil {
					return err
				}
				capped, err = tx.CountTickets(context.Background(), c.q, 5)
				return err
			})
			if err != nil || n != len(want) || capped != min(5, len(want)) {
				t.Fatalf("count = %d, capped %d, %v; want %d", n, capped, err, len(want))
			}
		})
	}
}

// pages reads q's list n at a time, cursor to cursor.
func pages(t *testing.T, db *DB, q TicketQuery, n int) []Ticket {
	t.Helper()
	var all []Ticket
	q.Limit = n
	for range 100 {
		page := query(t, db, q)
		all = append(all, page...)
		if len(page) < q.Limit {
			return all
		}
		q.After = CursorOf(page[len(page)-1])
	}
	t.Fatal("paging does not end")
	return nil
}

func TestSearchDocAndQuery(t *testing.T) {
	if got, want := bigramDoc("路灯坏了，ＡＢc 1"), "路灯 灯坏 坏了 了 ab bc c 1"; got != want {
		t.Errorf("bigramDoc = %q, want %q", got, want)
	}
	for _, c := range []struct{ q, want string }{
		{"路灯", `"路灯"`},
		{"路灯坏", `"路灯 灯坏"`},
		{"灯", `灯*`},
		{" 水管，爆 ", `"水管" 爆*`},
		{`"or" NEAR -x`, `"or" "ne ea ar" x*`},
	} {
		if got, ok := matchExpr(c.q); !ok || got != c.want {
			t.Errorf("matchExpr(%q) = %q, %v; want %q", c.q, got, ok, c.want)
		}
	}
	if _, ok := matchExpr(" ，。!? "); ok {
		t.Error("a query of punctuation has nothing to search for")
	}
}

// TestSearchFindsSubstrings checks the index against strings.Contains on
// the folded text, for tickets indexed and not yet indexed alike.
func TestSearchFindsSubstrings(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	all := storeTickets(t, db, 12, queueTicket)
	if n, err := db.IndexSearch(ctx, 8); err != nil || n != 8 {
		t.Fatalf("indexed %d, %v; want 8 (the rest stay for LIKE)", n, err)
	}
	for _, c := range []struct {
		q    string
		want func(string) bool
	}{
		{"路灯", containsAll("路灯")},
		{"灯", containsAll("灯")},
		{"路灯坏", containsAll("路灯坏")},
		{"abc", containsAll("ＡＢＣ")},
		{"ＡＢ", containsAll("ＡＢ")},
		{"水管 路灯", containsAll("水管", "路灯")},
		{"灯坏", containsAll("灯坏")},
		{"50%", containsAll("50")},
		{"面都坏了_怎么", containsAll("面都坏了", "怎么")},
		{"没有这个词", containsAll("没有这个词")},
		{"！", func(string) bool { return false }},
	} {
		var want []string
		for _, tk := range all {
			if c.want(tk.Text) {
				want = append(want, tk.Number)
			}
		}
		slices.Sort(want)
		got := numbers(query(t, db, TicketQuery{Scope: Scope{All: true}, Text: c.q}))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", c.q, got, want)
		}
		// Over the history, newest first, a page at a time: the tickets
		// not yet indexed first, then down the index.
		newest := slices.Clone(want)
		slices.Reverse(newest)
		for _, n := range []int{1, 2, 100} {
			if got := numbers(pages(t, db, TicketQuery{Scope: Scope{All: true}, Text: c.q, Order: NewestFirst}, n)); !slices.Equal(got, newest) {
				t.Errorf("search %q newest first by %d = %v, want %v", c.q, n, got, newest)
			}
		}
		// With a filter the index cannot answer, and within the open ones.
		var west, open []string
		for _, tk := range all {
			if c.want(tk.Text) && tk.Village == "梁家务村" {
				west = append([]string{tk.Number}, west...)
			}
			if c.want(tk.Text) && tk.State.Open() {
				open = append(open, tk.Number)
			}
		}
		if got := numbers(pages(t, db, TicketQuery{Scope: Scope{All: true}, Text: c.q, Village: "梁家务村", Order: NewestFirst}, 2)); !slices.Equal(got, west) {
			t.Errorf("search %q in 梁家务村 = %v, want %v", c.q, got, west)
		}
		got = numbers(query(t, db, TicketQuery{Scope: Scope{All: true}, Text: c.q, States: routing.OpenStates}))
		slices.Sort(got)
		slices.Sort(open)
		if !slices.Equal(got, open) {
			t.Errorf("search %q among the open = %v, want %v", c.q, got, open)
		}
	}
	if n, err := db.IndexSearch(ctx, 100); err != nil || n != 4 {
		t.Fatalf("indexed %d, %v; want the last 4", n, err)
	}
	if n, err := db.IndexSearch(ctx, 100); err != nil || n != 0 {
		t.Fatalf("indexed %d, %v; want none left", n, err)
	}
	if got := query(t, db, TicketQuery{Scope: Scope{All: true}, Text: "煤气"}); len(got) != 2 {
		t.Fatalf("煤气 after indexing everything: %v", numbers(got))
	}
}

// containsAll is the search rule said plainly: each word occurs in the
// text, ignoring case and full-width forms.
func containsAll(subs ...string) func(string) bool {
	fold := func(s string) string { return strings.ToLower(width.Fold.String(s)) }
	return func(s string) bool {
		for _, sub := range subs {
			if !strings.Contains(fold(s), fold(sub)) {
				return false
			}
		}
		return true
	}
}

func TestCredentials(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	c := Credential{ID: "abc", Kind: CredentialLink, Hash: []byte{1, 2, 3}, StaffID: 7, CreatedAt: t0, ExpiresAt: t0.Add(10 * time.Minute)}
	tok := Credential{ID: "tok", Kind: CredentialToken, Hash: []byte{4}, StaffID: 8, Note: "12345 平台", CreatedAt: t0}
	err := db.Update(ctx, func(tx *Tx) error {
		for _, x := range []Credential{c, tok} {
			if err := tx.AddCredential(ctx, x); err != nil {
				return err
			}
		}
		if err := tx.AddCredential(ctx, c); err == nil {
			return fmt.Errorf("a second credential with the same id was stored")
		}
		if _, err := tx.Credential(ctx, CredentialSession, "abc"); err != ErrNotFound {
			return fmt.Errorf("a link read as a session: %v", err)
		}
		got, err := tx.Credential(ctx, CredentialLink, "abc")
		if err != nil || got.StaffID != 7 || string(got.Hash) != string(c.Hash) || !got.ExpiresAt.Equal(c.ExpiresAt) || !got.EndedAt.IsZero() {
			return fmt.Errorf("read back %+v, %v", got, err)
		}
		for i, want := range []bool{true, false} {
			if ok, err := tx.EndCredential(ctx, CredentialLink, "abc", t0.Add(time.Minute)); err != nil || ok != want {
				return fmt.Errorf("end #%d = %v, %v; want %v", i, ok, err, want)
			}
		}
		if n, err := tx.PurgeCredentials(ctx, t0.Add(time.Hour)); err != nil || n != 1 {
			return fmt.Errorf("purged %d, %v; want the expired link only", n, err)
		}
		list, err := tx.Credentials(ctx, CredentialToken)
		if err != nil || len(list) != 1 || list[0].Note != "12345 平台" || !list[0].ExpiresAt.IsZero() {
			return fmt.Errorf("tokens %+v, %v", list, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The queue's working views read the index of open tickets alone, and a
// history newest first reads rows in id order with no sort.
func TestQueueUsesItsIndexes(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	plan := func(q TicketQuery) string {
		sql, args := q.listSQL()
		var out []string
		err := db.View(ctx, func(tx *Tx) error {
			rows, err := tx.tx.QueryContext(ctx, "EXPLAIN QUERY PLAN "+sql, args...)
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
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	cadre := Scope{HandlerID: 7, Villages: []string{"翟各庄村"}}
	for _, c := range []struct {
		name   string
		q      TicketQuery
		want   string
		unwant string
	}{
		{"open", TicketQuery{Scope: Scope{All: true}, States: routing.OpenStates, Limit: 51}, "COVERING INDEX tickets_open", "SCAN tickets USING INTEGER"},
		{"cadre's open", TicketQuery{Scope: cadre, States: routing.OpenStates, Limit: 51}, "COVERING INDEX tickets_open", ""},
		{"overdue in a village", TicketQuery{Scope: Scope{All: true}, Overdue: true, Now: now, Village: "翟各庄村", Limit: 51}, "COVERING INDEX tickets_open", ""},
		{"next page", TicketQuery{Scope: cadre, States: routing.OpenStates, After: Cursor{Due: now, ID: 9}, Limit: 51}, "COVERING INDEX tickets_open", ""},
		{"history", TicketQuery{Scope: cadre, Order: NewestFirst, Limit: 51}, "SCAN tickets", "TEMP B-TREE"},
	} {
		got := plan(c.q)
		if !strings.Contains(got, c.want) || (c.unwant != "" && strings.Contains(got, c.unwant)) {
			t.Errorf("%s: plan %q, want %s without %q", c.name, got, c.want, c.unwant)
		}
	}
}

func TestOpenOnlyAndBounded(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		q             TicketQuery
		open, bounded bool
	}{
		{TicketQuery{}, false, false},
		{TicketQuery{States: routing.OpenStates}, true, true},
		{TicketQuery{States: []routing.State{routing.Assigned}}, true, true},
		{TicketQuery{States: []routing.State{routing.Assigned, routing.Closed}}, false, false},
		{TicketQuery{Overdue: true, Now: now}, true, true},
		{TicketQuery{CreatedFrom: now}, false, true},
	} {
		if c.q.OpenOnly() != c.open || c.q.Bounded() != c.bounded {
			t.Errorf("%+v: open %v bounded %v", c.q, c.q.OpenOnly(), c.q.Bounded())
		}
	}
}
