package routing

import (
	"testing"
	"time"

	"hotline/taxonomy"
)

func TestParsePolicy(t *testing.T) {
	p, err := ParsePolicy("urgent=15m/12h, low=48h/336h")
	if err != nil {
		t.Fatal(err)
	}
	if p[taxonomy.Urgent] != (SLA{15 * time.Minute, 12 * time.Hour}) || p[taxonomy.Low] != (SLA{48 * time.Hour, 336 * time.Hour}) {
		t.Errorf("parsed %+v", p)
	}
	if p[taxonomy.Normal] != DefaultPolicy()[taxonomy.Normal] {
		t.Errorf("normal changed: %+v", p[taxonomy.Normal])
	}
	if p, err := ParsePolicy(""); err != nil || p[taxonomy.Normal].Accept != 4*time.Hour {
		t.Errorf("empty: %v %v", p, err)
	}
	for _, bad := range []string{"urgent", "soon=1h/2h", "urgent=1h", "urgent=x/2h", "urgent=1h/y", "urgent=2h/1h"} {
		if _, err := ParsePolicy(bad); err == nil {
			t.Errorf("ParsePolicy(%q): want error", bad)
		}
	}
}
