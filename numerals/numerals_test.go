package numerals

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"3", 3, true}, {"03", 3, true}, {"15", 15, true},
		{"三", 3, true}, {"两", 2, true}, {"十", 10, true}, {"十三", 13, true},
		{"二十", 20, true}, {"二十五", 25, true}, {"九十九", 99, true},
		{"", 0, false}, {"十十", 0, false}, {"三五", 0, false}, {"一百", 0, false},
		{"二十五六", 0, false}, {"x", 0, false}, {"三x", 0, false},
	} {
		got, ok := Parse(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
