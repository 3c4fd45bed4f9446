package taxonomy

import "testing"

func TestNames(t *testing.T) {
	type colour string
	names := Names[colour]{"red": "红", "green": "绿"}
	tests := []struct {
		id      colour
		wantHas bool
		wantOf  string
	}{
		{"red", true, "红"},
		{"green", true, "绿"},
		{"blue", false, "blue"}, // unknown: shown as stored
		{"", false, ""},
	}
	for _, tt := range tests {
		if got := names.Has(tt.id); got != tt.wantHas {
			t.Errorf("Has(%q) = %v, want %v", tt.id, got, tt.wantHas)
		}
		if got := names.Of(tt.id); got != tt.wantOf {
			t.Errorf("Of(%q) = %q, want %q", tt.id, got, tt.wantOf)
		}
	}
}
