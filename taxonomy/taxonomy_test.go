package taxonomy

import "testing"

func TestCategories(t *testing.T) {
	if len(Categories) != 18 {
		t.Fatalf("%d categories, the contract has 18", len(Categories))
	}
	seen := map[Category]bool{}
	for _, c := range Categories {
		if !c.Valid() || c.Chinese() == string(c) || seen[c] {
			t.Errorf("category %q: valid=%v chinese=%q dup=%v", c, c.Valid(), c.Chinese(), seen[c])
		}
		seen[c] = true
		if got, err := ParseCategory(string(c)); err != nil || got != c {
			t.Errorf("ParseCategory(%q) = %q, %v", c, got, err)
		}
	}
	for _, bad := range []string{"", "Heating", "weather", " roads"} {
		if _, err := ParseCategory(bad); err == nil {
			t.Errorf("ParseCategory(%q): want error", bad)
		}
	}
	if Category("x").Chinese() != "x" {
		t.Error("unknown category must show its id")
	}
}

func TestUrgency(t *testing.T) {
	tests := []struct {
		u, raised Urgency
		chinese   string
	}{
		{Low, Normal, "咨询建议"},
		{Normal, Urgent, "一般"},
		{Urgent, Urgent, "紧急"},
	}
	for _, tt := range tests {
		if got := tt.u.Raise(); got != tt.raised {
			t.Errorf("%s.Raise() = %s, want %s", tt.u, got, tt.raised)
		}
		if tt.u.Chinese() != tt.chinese {
			t.Errorf("%s.Chinese() = %q", tt.u, tt.u.Chinese())
		}
		if got, err := ParseUrgency(string(tt.u)); err != nil || got != tt.u {
			t.Errorf("ParseUrgency(%q) = %q, %v", tt.u, got, err)
		}
	}
	if _, err := ParseUrgency("asap"); err == nil {
		t.Error("ParseUrgency(asap): want error")
	}
}
