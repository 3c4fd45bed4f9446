package roster

import (
	"bytes"
	"os"
	"testing"

	"hotline/taxonomy"
)

func TestDemo(t *testing.T) {
	r := Demo()

	var villages, communities int
	for _, v := range r.Villages {
		switch v.Kind {
		case KindVillage:
			villages++
		case KindCommunity:
			communities++
		}
		if len(r.CadresOf(v.Name)) == 0 {
			t.Errorf("no cadre for %s", v.Name)
		}
	}
	if len(r.Villages) != 64 || villages != 61 || communities != 3 {
		t.Errorf("got %d units (%d villages, %d communities), want 64 (61, 3)", len(r.Villages), villages, communities)
	}
	areas := r.Areas()
	if len(areas) != 6 {
		t.Errorf("got areas %q, want 6", areas)
	}
	for _, a := range areas {
		if len(r.LeadersOf(a)) == 0 {
			t.Errorf("no leader for %s", a)
		}
	}
	if len(r.Centers()) == 0 {
		t.Error("no centre staff")
	}
	if len(r.Admins()) == 0 {
		t.Error("no admin")
	}
	for _, c := range []taxonomy.Category{
		taxonomy.Water, taxonomy.Sanitation, taxonomy.Pollution, taxonomy.Safety,
		taxonomy.Dispute, taxonomy.Forestry, taxonomy.Construction, taxonomy.LandAgri,
		taxonomy.Welfare, taxonomy.Health, taxonomy.CultureEdu, taxonomy.Enterprise,
		taxonomy.Feedback,
	} {
		if len(r.DepartmentsFor(c)) == 0 {
			t.Errorf("no department for %s", c)
		}
	}
	// These stay with the village cadre: a department would take them away.
	for _, c := range []taxonomy.Category{taxonomy.Heating, taxonomy.Power, taxonomy.Roads, taxonomy.Consultation} {
		if d := r.DepartmentsFor(c); len(d) != 0 {
			t.Errorf("%s has departments %v, want the cadre to handle it", c, d)
		}
	}

	// Ids are what staff are known by, so two people may never share one.
	seen := map[StaffID]string{}
	for _, s := range r.Staff {
		if s.TelegramID < 100000000 || s.TelegramID > 9999999999 {
			t.Errorf("%s has telegram_id %d, want 9-10 digits", s.Name, s.TelegramID)
		}
		if other, dup := seen[s.TelegramID]; dup {
			t.Errorf("%s and %s share telegram_id %d", s.Name, other, s.TelegramID)
		}
		seen[s.TelegramID] = s.Name
		if len(s.Phone) != 11 || s.Phone[:2] != "13" {
			t.Errorf("%s has phone %q, want 11 digits starting 13", s.Name, s.Phone)
		}
	}

	// Each call is a fresh copy: one caller's edits must not leak to another.
	r.Villages[0].Name = "改过"
	if Demo().Villages[0].Name == "改过" {
		t.Error("Demo shares state between calls")
	}
}

// The demo villages are the contract's example roster, byte for byte.
func TestDemoVillagesMatchContract(t *testing.T) {
	const contract = "../../shared/bench/villages.csv"
	want, err := os.ReadFile(contract)
	if err != nil {
		t.Skipf("contract copy not available: %v", err)
	}
	got, err := demoFiles.ReadFile("demo/villages.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("demo/villages.csv differs from %s", contract)
	}
}
