package routing

import (
	"errors"
	"testing"
	"time"

	"hotline/roster"
	"hotline/taxonomy"
)

func testRoster() *roster.Roster {
	return &roster.Roster{
		Villages: []roster.Village{
			{Name: "翟各庄村", Area: "东片区"},
			{Name: "马各庄村", Area: "东片区"},
			{Name: "梁家务村", Area: "西片区"},
			{Name: "孤村", Area: "无人片区"},
		},
		Staff: []roster.Staff{
			{Name: "曾令发", TelegramID: 11, Role: roster.VillageCadre, Villages: []string{"翟各庄村", "马各庄村"}},
			{Name: "王强", TelegramID: 12, Role: roster.VillageCadre, Villages: []string{"梁家务村"}},
			{Name: "李东", TelegramID: 21, Role: roster.AreaLeader, Area: "东片区"},
			{Name: "水务站", TelegramID: 31, Role: roster.Department, Departments: []taxonomy.Category{taxonomy.Water, taxonomy.Forestry}},
			{Name: "司法所", TelegramID: 32, Role: roster.Department, Departments: []taxonomy.Category{taxonomy.Dispute}},
			{Name: "中心", TelegramID: 41, Role: roster.Center},
		},
	}
}

func TestRoute(t *testing.T) {
	rt := New(testRoster())
	tests := []struct {
		cat     taxonomy.Category
		village string
		want    roster.StaffID
	}{
		{taxonomy.Roads, "翟各庄村", 11},   // cadre by default
		{taxonomy.Heating, "马各庄村", 11}, // cadre covering two villages
		{taxonomy.Roads, "梁家务村", 12},
		{taxonomy.Water, "翟各庄村", 31},    // department wins
		{taxonomy.Forestry, "梁家务村", 31}, // department listing two categories
		{taxonomy.Dispute, "", 32},      // department needs no village
		{taxonomy.Other, "翟各庄村", 41},    // other → centre
		{taxonomy.Roads, "孤村", 41},      // village without cadre → centre
		{taxonomy.Roads, "", 41},        // unknown village → centre
		{taxonomy.Roads, "不存在村", 41},
	}
	for _, tt := range tests {
		got, err := rt.Route(tt.cat, tt.village)
		if err != nil || got.TelegramID != tt.want {
			t.Errorf("Route(%s, %q) = %d, %v; want %d", tt.cat, tt.village, got.TelegramID, err, tt.want)
		}
	}
}

func TestRouteNoCenter(t *testing.T) {
	rt := New(&roster.Roster{Villages: []roster.Village{{Name: "翟各庄村", Area: "东片区"}}})
	if _, err := rt.Route(taxonomy.Other, "翟各庄村"); !errors.Is(err, ErrNoHandler) {
		t.Errorf("err = %v, want ErrNoHandler", err)
	}
}

func TestEscalateChain(t *testing.T) {
	rt := New(testRoster())
	tests := []struct {
		level     int
		village   string
		want      roster.StaffID
		wantLevel int
		wantErr   error
	}{
		{LevelHandler, "翟各庄村", 21, LevelLeader, nil}, // cadre → area leader
		{LevelLeader, "翟各庄村", 41, LevelCenter, nil},  // leader → centre
		{LevelHandler, "梁家务村", 41, LevelCenter, nil}, // 西片区 has no leader: skip to centre
		{LevelHandler, "", 41, LevelCenter, nil},
		{LevelCenter, "翟各庄村", 0, LevelCenter, ErrTop},
	}
	for _, tt := range tests {
		got, level, err := rt.Escalate(tt.level, tt.village)
		if !errors.Is(err, tt.wantErr) || got.TelegramID != tt.want || level != tt.wantLevel {
			t.Errorf("Escalate(%d, %q) = %d, %d, %v; want %d, %d, %v", tt.level, tt.village, got.TelegramID, level, err, tt.want, tt.wantLevel, tt.wantErr)
		}
	}
	chain := rt.Chain("翟各庄村")
	if len(chain) != 2 || chain[0].TelegramID != 21 || chain[1].TelegramID != 41 {
		t.Errorf("Chain = %+v", chain)
	}
}

func TestTransferTargets(t *testing.T) {
	got := New(testRoster()).TransferTargets(11)
	var ids []roster.StaffID
	for _, s := range got {
		ids = append(ids, s.TelegramID)
	}
	want := []roster.StaffID{31, 32, 12, 41}
	if len(ids) != len(want) {
		t.Fatalf("targets = %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("targets = %v, want %v", ids, want)
		}
	}
}

func TestDeadlines(t *testing.T) {
	p := DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		u               taxonomy.Urgency
		accept, resolve time.Duration
	}{
		{taxonomy.Urgent, 30 * time.Minute, 24 * time.Hour},
		{taxonomy.Normal, 4 * time.Hour, 7 * 24 * time.Hour},
		{taxonomy.Low, 24 * time.Hour, 7 * 24 * time.Hour},
		{"bogus", 4 * time.Hour, 7 * 24 * time.Hour},
	}
	for _, tt := range tests {
		a, r := p.Deadlines(tt.u, from)
		if a != from.Add(tt.accept) || r != from.Add(tt.resolve) {
			t.Errorf("Deadlines(%s) = %v, %v", tt.u, a, r)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	bad := []Policy{
		{},
		{taxonomy.Urgent: {Accept: time.Hour, Resolve: time.Minute}, taxonomy.Normal: {Accept: 1, Resolve: 2}, taxonomy.Low: {Accept: 1, Resolve: 2}},
		{taxonomy.Urgent: {Accept: 0, Resolve: time.Minute}, taxonomy.Normal: {Accept: 1, Resolve: 2}, taxonomy.Low: {Accept: 1, Resolve: 2}},
	}
	for i, p := range bad {
		if p.Validate() == nil {
			t.Errorf("policy %d: want error", i)
		}
	}
}
