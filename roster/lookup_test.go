package roster

import (
	"testing"

	"hotline/taxonomy"
)

func names(ss []Staff) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

func TestLookups(t *testing.T) {
	r := &Roster{Staff: []Staff{
		{Name: "甲", Role: VillageCadre, Villages: []string{"A村", "B村"}},
		{Name: "乙", Role: VillageCadre, Villages: []string{"B村"}},
		{Name: "丙", Role: AreaLeader, Area: "东片区"},
		{Name: "丁", Role: Department, Departments: []taxonomy.Category{taxonomy.Water, taxonomy.Forestry}},
		{Name: "戊", Role: Department, Departments: []taxonomy.Category{taxonomy.Forestry}},
		{Name: "己", Role: Center},
		{Name: "庚", Role: Admin},
		{Name: "辛", Role: Center},
		// A leader whose Villages is set by mistake is still not a cadre.
		{Name: "壬", Role: AreaLeader, Area: "西片区", Villages: []string{"A村"}},
	}}
	tests := []struct {
		name string
		got  []Staff
		want []string
	}{
		{"cadres of A村", r.CadresOf("A村"), []string{"甲"}},
		{"cadres of B村 in file order", r.CadresOf("B村"), []string{"甲", "乙"}},
		{"cadres of unknown village", r.CadresOf("C村"), nil},
		{"leaders of 东片区", r.LeadersOf("东片区"), []string{"丙"}},
		{"leaders of unknown area", r.LeadersOf("南片区"), nil},
		{"water", r.DepartmentsFor(taxonomy.Water), []string{"丁"}},
		{"forestry", r.DepartmentsFor(taxonomy.Forestry), []string{"丁", "戊"}},
		{"heating has no department", r.DepartmentsFor(taxonomy.Heating), nil},
		{"centers", r.Centers(), []string{"己", "辛"}},
		{"admins", r.Admins(), []string{"庚"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(tt.got)
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
			}
		})
	}
	var empty Roster
	if empty.Centers() != nil || empty.CadresOf("A村") != nil {
		t.Error("lookups on an empty roster returned staff")
	}
}

func TestRosterBasics(t *testing.T) {
	r := Demo()
	if v, ok := r.Village("翟各庄村"); !ok || v.Area != "东片区" || v.Size != SizeLarge {
		t.Errorf("Village(翟各庄村) = %+v, %v", v, ok)
	}
	if _, ok := r.Village("翟庄"); ok {
		t.Error("Village found a village by alias; only full names count")
	}
	if s, ok := r.StaffByID(500000001); !ok || s.Role != Admin {
		t.Errorf("StaffByID(500000001) = %+v, %v", s, ok)
	}
	if _, ok := r.StaffByID(42); ok {
		t.Error("StaffByID(42) found someone")
	}
	if n := len(r.VillagesIn("运河片区")); n != 9 {
		t.Errorf("VillagesIn(运河片区) has %d units, want 9", n)
	}
	for _, tt := range []struct {
		role    Role
		valid   bool
		chinese string
	}{
		{VillageCadre, true, "包村干部"},
		{Center, true, "市民诉求处置中心"},
		{"boss", false, "boss"},
	} {
		if tt.role.Valid() != tt.valid || tt.role.Chinese() != tt.chinese {
			t.Errorf("%s: Valid %v Chinese %q", tt.role, tt.role.Valid(), tt.role.Chinese())
		}
	}
}
