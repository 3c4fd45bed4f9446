package tickets

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/taxonomy"
)

// scopeRoster has every kind of staff member, a cadre of two villages, a
// department of two categories, and people whose scope is empty.
func scopeRoster() *roster.Roster {
	return &roster.Roster{
		Villages: []roster.Village{
			{Name: "翟各庄村", Area: "东片区"}, {Name: "运河社区", Area: "东片区"},
			{Name: "梁家务村", Area: "西片区"}, {Name: "于家务村", Area: "西片区"}, {Name: "南马庄村", Area: "南片区"},
		},
		Staff: []roster.Staff{
			{Name: "曾令发", TelegramID: 1, Role: roster.VillageCadre, Villages: []string{"翟各庄村", "运河社区"}},
			{Name: "王强", TelegramID: 2, Role: roster.VillageCadre, Villages: []string{"梁家务村"}},
			{Name: "赵敏", TelegramID: 3, Role: roster.VillageCadre, Villages: []string{"南马庄村"}},
			{Name: "李东", TelegramID: 4, Role: roster.AreaLeader, Area: "东片区"},
			{Name: "周西", TelegramID: 5, Role: roster.AreaLeader, Area: "西片区"},
			{Name: "水务站", TelegramID: 6, Role: roster.Department, Departments: []taxonomy.Category{taxonomy.Water, taxonomy.Heating}},
			{Name: "林业站", TelegramID: 7, Role: roster.Department, Departments: []taxonomy.Category{taxonomy.Forestry}},
			{Name: "中心", TelegramID: 8, Role: roster.Center},
			{Name: "管理员", TelegramID: 9, Role: roster.Admin},
			{Name: "无片区", TelegramID: 10, Role: roster.AreaLeader},
			{Name: "无村", TelegramID: 11, Role: roster.VillageCadre},
		},
	}
}

// The rule of who sees what, written out plainly from the issue, to check
// ScopeOf against something other than itself.
func seesByContract(st roster.Staff, t storage.Ticket) bool {
	switch {
	case st.Role == roster.Center || st.Role == roster.Admin:
		return true
	case t.HandlerID == st.TelegramID:
		return true
	case st.Role == roster.AreaLeader:
		return st.Area != "" && t.Area == st.Area
	case st.Role == roster.VillageCadre:
		return slices.Contains(st.Villages, t.Village)
	case st.Role == roster.Department:
		return slices.Contains(st.Departments, t.Category)
	}
	return false
}

// TestScopeAgreesWithSQL checks, on a varied set of tickets, that for every
// staff member the tickets MaySee allows are exactly those the SQL of
// their scope lists (the queue's and the reports' renderings), and that
// both follow the contract.
func TestScopeAgreesWithSQL(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "scope.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := scopeRoster()
	rnd := rand.New(rand.NewPCG(12, 1))
	villages := append([]string{"", "外镇村"}, func() []string {
		var vs []string
		for _, v := range r.Villages {
			vs = append(vs, v.Name)
		}
		return vs
	}()...)
	states := []routing.State{routing.Assigned, routing.Accepted, routing.Resolved, routing.Closed}
	var all []storage.Ticket
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for i := range 600 {
			v := villages[rnd.IntN(len(villages))]
			area := ""
			if vil, ok := r.Village(v); ok {
				area = vil.Area
			}
			if rnd.IntN(10) == 0 {
				area = "北片区" // moved since: the ticket keeps the 片区 it was opened in
			}
			tk := storage.Ticket{
				Text: fmt.Sprint("诉求 ", i), Category: taxonomy.Categories[rnd.IntN(len(taxonomy.Categories))],
				Urgency: taxonomy.Normal, Village: v, Area: area, State: states[rnd.IntN(len(states))],
				HandlerID: roster.StaffID(rnd.IntN(13)), CreatedAt: time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC),
			}
			tk.AcceptBy, tk.ResolveBy = tk.CreatedAt.Add(time.Hour), tk.CreatedAt.Add(time.Duration(rnd.IntN(100))*time.Hour)
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
			all = append(all, tk)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range r.Staff {
		t.Run(st.Name, func(t *testing.T) {
			var inSQL []storage.Ticket
			var byCat map[taxonomy.Category]int // the reports' rendering of the same scope
			err := db.View(ctx, func(tx *storage.Tx) error {
				var err error
				if inSQL, err = tx.QueryTickets(ctx, storage.TicketQuery{Scope: ScopeOf(st)}); err != nil {
					return err
				}
				byCat, err = tx.CreatedByCategory(ctx, ScopeOf(st), time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			sqlSet := map[storage.TicketID]bool{}
			for _, tk := range inSQL {
				sqlSet[tk.ID] = true
			}
			seen := 0
			wantCat := map[taxonomy.Category]int{}
			for _, tk := range all {
				goSees, contract := MaySee(st, tk), seesByContract(st, tk)
				if goSees != sqlSet[tk.ID] || goSees != contract {
					t.Fatalf("ticket %+v: MaySee %v, SQL %v, contract %v", tk, goSees, sqlSet[tk.ID], contract)
				}
				if goSees {
					seen++
					wantCat[tk.Category]++
				}
			}
			if !maps.Equal(byCat, wantCat) {
				t.Fatalf("the reports count %v by category, MaySee %v", byCat, wantCat)
			}
			if len(inSQL) != seen {
				t.Fatalf("SQL listed %d, MaySee allows %d", len(inSQL), seen)
			}
			if st.Role != roster.Center && st.Role != roster.Admin && seen == len(all) {
				t.Fatalf("%s sees everything", st.Name)
			}
		})
	}
}

func TestRightsOfSupervision(t *testing.T) {
	r := scopeRoster()
	tk := storage.Ticket{Village: "翟各庄村", Area: "东片区", Category: taxonomy.Roads, HandlerID: 1}
	for _, c := range []struct {
		id                    roster.StaffID
		work, supervise, move bool
	}{
		{1, true, false, true},   // the handler
		{2, false, false, false}, // another village's cadre
		{4, false, true, true},   // the area leader of its 片区
		{5, false, false, false}, // another 片区's leader
		{6, false, false, false}, // a department of other categories
		{8, true, true, true},    // the centre
		{9, true, true, true},    // an admin
		{10, false, false, false},
	} {
		st, _ := r.StaffByID(c.id)
		if MayWork(st, tk) != c.work || MaySupervise(st, tk) != c.supervise || MayMove(st, tk) != c.move {
			t.Errorf("%s: work %v supervise %v move %v; want %v %v %v", st.Name,
				MayWork(st, tk), MaySupervise(st, tk), MayMove(st, tk), c.work, c.supervise, c.move)
		}
	}
}

// Tags (独居老人, 煤改电) are set by whoever looks after a resident's
// place; notices go out from the centre, or from an area leader inside
// their own 片区.
func TestRightsOverResidents(t *testing.T) {
	r := scopeRoster()
	east, _ := r.Village("翟各庄村")
	for _, c := range []struct {
		id                         roster.StaffID
		tag, notifyArea, notifyAll bool
	}{
		{1, true, false, false},  // a cadre of the village
		{2, false, false, false}, // another village's cadre
		{4, true, true, false},   // the area leader of its 片区
		{5, false, false, false}, // another 片区's leader
		{6, false, false, false}, // a department
		{8, true, true, true},    // the centre
		{9, true, true, true},    // an admin
		{10, false, false, false},
		{11, false, false, false},
	} {
		st, _ := r.StaffByID(c.id)
		tag, area, all := MayTag(st, east), MayNotify(st, east.Area), MayNotify(st, "")
		if tag != c.tag || area != c.notifyArea || all != c.notifyAll {
			t.Errorf("%s: tag %v, notify 东片区 %v, notify everyone %v; want %v %v %v", st.Name,
				tag, area, all, c.tag, c.notifyArea, c.notifyAll)
		}
	}
}
