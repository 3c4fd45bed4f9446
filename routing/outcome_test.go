package routing

import "testing"

func TestOutcome(t *testing.T) {
	for _, o := range []Outcome{Solved, Partly, Unsolved} {
		for _, in := range []string{string(o), o.Chinese()} {
			if got, err := ParseOutcome(in); err != nil || got != o {
				t.Errorf("ParseOutcome(%q) = %q, %v", in, got, err)
			}
		}
	}
	for _, bad := range []string{"", "done", "已解决 "} {
		if _, err := ParseOutcome(bad); err == nil {
			t.Errorf("ParseOutcome(%q): want error", bad)
		}
	}
	if Outcome("x").Chinese() != "x" || Outcome("x").Valid() {
		t.Error("an unknown outcome must show its id and be invalid")
	}
}
