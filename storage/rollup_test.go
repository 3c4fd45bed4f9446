package storage_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/reports"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// The reports' rollup against the reference: random ticket histories
// through the lifecycle (every operation that moves a count), and at
// checkpoints along them every figure of many periods, judged at their
// ends, in the scopes of the centre, an area leader, a cadre and a
// department, from the rollup and from the tickets row by row.

var zone = time.FixedZone("CST", 8*3600)

// history drives random lifecycles through package tickets.
type history struct {
	t    *testing.T
	db   *storage.DB
	svc  *tickets.Service
	a    *assets.Assets
	rnd  *rand.Rand
	now  time.Time
	ids  []storage.TicketID
	boss roster.Staff   // the centre: may move, urge, close and decide anything
	done map[string]int // operations the lifecycle carried out, by name
}

const residents = 40

// errNothing rolls back a step that found nothing to do.
var errNothing = errors.New("nothing to do")

func newHistory(t *testing.T, seed uint64) *history {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "rollup.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &history{t: t, db: db, a: assets.New(0, roster.Demo(), nil), rnd: rand.New(rand.NewPCG(seed, 7)), done: map[string]int{},
		now: time.Date(2026, 10, 20, 7, 30, 0, 0, time.UTC)}
	h.svc = tickets.New(routing.DefaultPolicy(), func() time.Time { return h.now }, slog.New(slog.DiscardHandler), nil)
	h.boss = h.staff(roster.Center)
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for i := range residents {
			if _, err := tx.EnsureResident(ctx, int64(9000+i), fmt.Sprint("居民", i), h.now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *history) staff(role roster.Role) roster.Staff {
	for _, s := range h.a.Roster.Staff {
		if s.Role == role {
			return s
		}
	}
	h.t.Fatalf("no %s in the demo roster", role)
	return roster.Staff{}
}

// step does one random thing at a random later time. Operations the
// lifecycle refuses (not now, not allowed) change nothing: their
// transaction is rolled back.
func (h *history) step() {
	h.now = h.now.Add(time.Duration(h.rnd.IntN(90)) * time.Minute)
	ctx := context.Background()
	op := "open"
	err := h.db.Update(ctx, func(tx *storage.Tx) error {
		if len(h.ids) == 0 || h.rnd.IntN(4) == 0 {
			return h.open(ctx, tx)
		}
		t, err := tx.Ticket(ctx, h.ids[h.rnd.IntN(len(h.ids))])
		if err != nil {
			return err
		}
		op, err = h.act(ctx, tx, t)
		return err
	})
	if err == nil {
		h.done[op]++
	}
}

func (h *history) open(ctx context.Context, tx *storage.Tx) error {
	r := h.a.Roster
	v := r.Villages[h.rnd.IntN(len(r.Villages))]
	in := tickets.OpenInput{ResidentID: int64(9000 + h.rnd.IntN(residents)), Text: "村里" + v.Name + "有问题",
		Intent: intents.Result{Category: taxonomy.Categories[h.rnd.IntN(len(taxonomy.Categories))],
			Urgency: []taxonomy.Urgency{taxonomy.Normal, taxonomy.Normal, taxonomy.Urgent, taxonomy.Low}[h.rnd.IntN(4)],
			Village: v.Name, Confidence: 0.9, Source: "embedded"}}
	switch h.rnd.IntN(6) {
	case 0:
		in.Campaign = "heating"
	case 1:
		in.ResidentID, in.Source, in.OpenedBy = 0, taxonomy.Visit, h.boss.TelegramID
		in.RequesterName, in.RequesterPhone = "张大爷", "13800001111"
	case 2:
		in.ReplyBy = h.now.Add(time.Duration(h.rnd.IntN(96)) * time.Hour)
	}
	t, err := h.svc.Open(ctx, tx, h.a, in)
	if err == nil {
		h.ids = append(h.ids, t.ID)
	}
	return err
}

// ops are the operations act does, by the number it draws.
var ops = []string{"accept", "accept", "accept", "resolve", "resolve", "rate", "unresolved", "transfer", "deadline",
	"recategorise", "contact", "promise", "link", "unlink", "urge or close", "extend"}

// act does one random operation on t as whoever may, and names it.
func (h *history) act(ctx context.Context, tx *storage.Tx, t storage.Ticket) (string, error) {
	boss, a := h.boss.TelegramID, h.a
	var err error
	n := h.rnd.IntN(len(ops))
	switch n {
	case 0, 1, 2:
		_, err = h.svc.Accept(ctx, tx, a, t.ID, t.HandlerID)
	case 3, 4:
		_, err = h.svc.Resolve(ctx, tx, a, t.ID, t.HandlerID, "已处理", []routing.Outcome{"", routing.Solved, routing.Partly, routing.Unsolved}[h.rnd.IntN(4)])
	case 5:
		_, err = h.svc.Rate(ctx, tx, t.ID, t.ResidentID, 1+h.rnd.IntN(5))
	case 6:
		_, err = h.svc.Unresolved(ctx, tx, a, t.ID, t.ResidentID)
	case 7:
		staff := a.Roster.Staff[h.rnd.IntN(len(a.Roster.Staff))]
		_, err = h.svc.Transfer(ctx, tx, a, t.ID, boss, staff.TelegramID)
	case 8:
		_, err = h.svc.CheckDeadline(ctx, tx, a, t.ID, tickets.Leads{Accept: time.Hour, Resolve: 24 * time.Hour})
	case 9:
		_, err = h.svc.CorrectCategory(ctx, tx, a, t.ID, boss, taxonomy.Categories[h.rnd.IntN(len(taxonomy.Categories))])
	case 10:
		_, err = h.svc.Contact(ctx, tx, a, t.ID, t.HandlerID, h.now.Add(-time.Duration(h.rnd.IntN(60))*time.Minute))
	case 11:
		_, err = h.svc.Promise(ctx, tx, a, t.ID, t.HandlerID, h.now.Add(time.Duration(h.rnd.IntN(72))*time.Hour))
	case 12:
		_, err = h.svc.Link(ctx, tx, a, t.ID, h.ids[h.rnd.IntN(len(h.ids))], boss)
	case 13:
		if t.LinkedTo == 0 { // unlink a report linked to t, if any
			linked, lerr := tx.LinkedTickets(ctx, t.ID)
			if lerr != nil || len(linked) == 0 {
				return ops[n], errors.Join(lerr, errNothing)
			}
			t = linked[0]
		}
		_, err = h.svc.Unlink(ctx, tx, a, t.ID, boss)
	case 14:
		if h.rnd.IntN(2) == 0 {
			_, err = h.svc.Urge(ctx, tx, a, t.ID, boss, "请抓紧")
		} else {
			_, err = h.svc.Dismiss(ctx, tx, a, t.ID, boss, "重复")
		}
	default:
		err = h.extend(ctx, tx, t)
	}
	return ops[n], err
}

// extend asks for more time and has the centre decide at once.
func (h *history) extend(ctx context.Context, tx *storage.Tx, t storage.Ticket) error {
	r, err := h.svc.RequestExtension(ctx, tx, h.a, t.ID, t.HandlerID, h.now.Add(72*time.Hour), "等配件")
	if err != nil {
		return err
	}
	_, _, err = h.svc.Decide(ctx, tx, h.a, r.ID, h.boss.TelegramID, h.rnd.IntN(2) == 0, "")
	return err
}

// periods are the periods a report is asked for at now: the desk's and
// the API's (township days up to now), the digests' in the township's
// zone and in UTC, days in the past, and spans cut at odd hours.
func (h *history) periods() []reports.Period {
	l := h.now.In(zone)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, zone)
	end := h.now.Add(time.Millisecond)
	out := []reports.Period{
		{Kind: reports.Custom, From: today.AddDate(0, 0, -6), To: end},
		{Kind: reports.Custom, From: today.AddDate(0, 0, -29), To: end},
		{Kind: reports.Custom, From: today, To: end},
		{Kind: reports.Custom, From: today.AddDate(0, 0, -9), To: today.AddDate(0, 0, -2)},
	}
	for _, loc := range []*time.Location{zone, time.UTC} {
		for _, k := range []reports.PeriodKind{reports.Daily, reports.Weekly, reports.Monthly} {
			p, err := reports.PeriodFor(k, h.now, loc)
			if err != nil {
				h.t.Fatal(err)
			}
			out = append(out, p)
		}
	}
	for range 3 {
		from := h.now.Add(-time.Duration(h.rnd.IntN(20*24*60)) * time.Minute)
		to := from.Add(time.Duration(1+h.rnd.IntN(10*24*60)) * time.Minute)
		out = append(out, reports.Period{Kind: reports.Custom, From: from, To: to})
	}
	return out
}

func (h *history) scopes() map[string]storage.Scope {
	return map[string]storage.Scope{
		"centre":      tickets.ScopeOf(h.boss),
		"area leader": tickets.ScopeOf(h.staff(roster.AreaLeader)),
		"cadre":       tickets.ScopeOf(h.staff(roster.VillageCadre)),
		"department":  tickets.ScopeOf(h.staff(roster.Department)),
	}
}

// compare checks every figure of every period and scope at h.now.
func (h *history) compare() {
	ctx := context.Background()
	err := h.db.View(ctx, func(tx *storage.Tx) error {
		for name, scope := range h.scopes() {
			for _, p := range h.periods() {
				what := fmt.Sprintf("%s, %s %s – %s", name, p.Kind, p.From.Format(time.RFC3339), p.To.Format(time.RFC3339))
				if err := h.compareSheet(ctx, tx, what, scope, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func (h *history) compareSheet(ctx context.Context, tx *storage.Tx, what string, scope storage.Scope, p reports.Period) error {
	fast, err := reports.LoadSheet(ctx, tx, scope, p)
	if err != nil {
		return err
	}
	// Without the handlers' misses, the same groups.
	alone, err := reports.LoadSheetFor(ctx, tx, scope, p, reports.ByCategory)
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(alone.Groups, fast.Groups) || alone.Misses != nil {
		h.t.Fatalf("%s: groups without the handlers' misses\n alone %+v %+v\n sheet %+v", what, alone.Groups, alone.Misses, fast.Groups)
	}
	refGroups, refMisses, err := tx.ReferenceGroups(ctx, scope, p.From, p.To, p.To)
	if err != nil {
		return err
	}
	ref := fast
	ref.Groups, ref.Misses = refGroups, refMisses
	if len(fast.Misses) == 0 && len(refMisses) == 0 {
		ref.Misses = fast.Misses
	}
	if !reflect.DeepEqual(fast.Misses, ref.Misses) {
		h.t.Fatalf("%s: deadlines missed by handler\nrollup    %+v\nreference %+v", what, fast.Misses, ref.Misses)
	}
	for _, s := range []*reports.Sheet{&fast, &ref} {
		if err := tx.AddScores(ctx, scope, p.From, p.To, p.To, s.Groups); err != nil {
			return err
		}
		sortGroups(s.Groups)
		if len(s.Groups) == 0 {
			s.Groups = nil
		}
	}
	if !reflect.DeepEqual(fast.Groups, ref.Groups) {
		h.t.Fatalf("%s: groups\nrollup    %+v\nreference %+v", what, fast.Groups, ref.Groups)
	}
	// The figures the reports, the desk and the API show, each from the
	// reports' own loaders against the reference sheet.
	w, r := reports.DefaultWeights(), h.a.Roster
	sb, err := reports.LoadScoreboard(ctx, tx, scope, p, w, r)
	if err != nil {
		return err
	}
	o, err := reports.LoadOverview(ctx, tx, scope, p, p.To)
	if err != nil {
		return err
	}
	d, err := reports.DigestOf(ctx, tx, scope, p)
	if err != nil {
		return err
	}
	prev := p.Previous()
	prevByCat, err := tx.ReferenceCreatedByCategory(ctx, scope, prev.From, prev.To)
	if err != nil {
		return err
	}
	accepted, err := tx.ReferenceCount(ctx, "accepted_at", scope, p.From, p.To)
	if err != nil {
		return err
	}
	resolved, err := tx.ReferenceCount(ctx, "resolved_at", scope, p.From, p.To)
	if err != nil {
		return err
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"scoreboard", sb, ref.Scoreboard(w, r)},
		{"overview rates", o.Rates, ref.Total()},
		{"overview by category", o.ByCategory, ref.ByCategory()},
		{"overview grid", o.Grid, ref.Grid()},
		{"overview proactive", o.Proactive, ref.Proactive()},
		{"overview accepted", o.Accepted, accepted},
		{"overview resolved", o.Resolved, resolved},
		{"digest villages", d.Villages, ref.By(reports.ByVillage)},
		{"digest 片区", d.Areas, ref.By(reports.ByArea)},
		{"digest handlers", d.Handlers, ref.By(reports.ByHandler)},
		{"digest sources", d.Sources, ref.By(reports.BySource)},
		{"digest by village", d.ByVillage, ref.ByVillage()},
		{"digest previous by category", d.PrevByCat, prevByCat},
	}
	for _, dim := range []reports.Dimension{reports.ByVillage, reports.ByArea, reports.ByCategory, reports.ByHandler, reports.BySource} {
		// What /api/v1/stats reads: the sheet for one dimension.
		sheet, err := reports.LoadSheetFor(ctx, tx, scope, p, dim)
		if err != nil {
			return err
		}
		checks = append(checks, struct {
			name      string
			got, want any
		}{"stats by " + string(dim), sheet.By(dim), ref.By(dim)})
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			h.t.Fatalf("%s: %s\nrollup    %+v\nreference %+v", what, c.name, c.got, c.want)
		}
	}
	return nil
}

// sortGroups orders groups by their key (distinct within a sheet).
func sortGroups(gs []storage.TicketGroup) {
	key := func(g storage.TicketGroup) string {
		return fmt.Sprintf("%s|%s|%d|%s", g.Village, g.Category, g.HandlerID, g.Source)
	}
	slices.SortFunc(gs, func(a, b storage.TicketGroup) int { return strings.Compare(key(a), key(b)) })
}

func TestRollupEqualsReference(t *testing.T) {
	for seed := range uint64(2) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			h := newHistory(t, seed)
			for i := range 1000 {
				h.step()
				if i%250 == 249 {
					h.compare()
				}
			}
			for _, op := range ops {
				if h.done[op] == 0 {
					t.Fatalf("the history never did %q: %v", op, h.done)
				}
			}
			// Nothing happens for a while: deadlines pass, tickets settle.
			h.now = h.now.Add(9 * 24 * time.Hour)
			h.compare()
			kept := h.rollupRows()
			if err := h.db.RebuildRollup(context.Background()); err != nil {
				t.Fatal(err)
			}
			if rebuilt := h.rollupRows(); !slices.Equal(kept, rebuilt) {
				t.Fatalf("the kept rollup differs from the rebuilt one:\nkept    %v\nrebuilt %v", kept, rebuilt)
			}
		})
	}
}

func (h *history) rollupRows() []string {
	var rows []string
	err := h.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		rows, err = tx.RollupRows(context.Background())
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return rows
}
