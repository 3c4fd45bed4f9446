package intents

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"hotline/taxonomy"
)

// emergencyCase is one line of testdata/emergency.jsonl: a message written
// for this test in one of many voices, the emergency it reports ("" for a
// near-miss: a worry, a hazard, a past event, a question) and the ticket
// category it should get.
type emergencyCase struct {
	Text     string        `json:"text"`
	Kind     EmergencyKind `json:"kind"`
	Category string        `json:"category"` // the right category, or several joined by |
}

// emergencyFiles are the cases: the first set was written with the rules,
// the second afterwards (on its first run it found 60 of 61 emergencies,
// 59 of the right kind, and raised 3 false alarms in 25 near-misses). The
// third is around the two errors the conversation's set found (a confused
// old man gone since morning; "有人掉下去怎么办" about a missing manhole
// cover): before the fix its first 16 lines scored 4 of 8 emergencies and
// 2 false alarms in 8 near-misses; the last four were added while fixing.
var emergencyFiles = []string{"testdata/emergency.jsonl", "testdata/emergency2.jsonl", "testdata/emergency3.jsonl"}

func emergencyCases(t testing.TB) []emergencyCase {
	t.Helper()
	var out []emergencyCase
	for _, f := range emergencyFiles {
		out = append(out, readEmergencyCases(t, f)...)
	}
	return out
}

func readEmergencyCases(t testing.TB, name string) []emergencyCase {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []emergencyCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c emergencyCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		out = append(out, c)
	}
	return out
}

// TestDetectEmergency checks every case and logs recall over the
// emergencies and the false-alarm rate over the near-misses
// (go test ./intents -run DetectEmergency -v).
func TestDetectEmergency(t *testing.T) {
	for _, f := range emergencyFiles {
		t.Run(f, func(t *testing.T) { testDetectEmergency(t, readEmergencyCases(t, f)) })
	}
}

func testDetectEmergency(t *testing.T, cases []emergencyCase) {
	var pos, hit, neg, alarm int
	for _, c := range cases {
		em, ok := DetectEmergency(c.Text)
		if c.Kind != "" {
			pos++
			if ok {
				hit++
			}
		} else {
			neg++
			if ok {
				alarm++
			}
		}
		if em.Kind != c.Kind {
			t.Errorf("DetectEmergency(%q) = %q (%s), want %q", c.Text, em.Kind, em.Word, c.Kind)
		}
	}
	t.Logf("emergencies: recall %d/%d = %.3f; near-misses: false alarms %d/%d = %.3f",
		hit, pos, float64(hit)/float64(pos), alarm, neg, float64(alarm)/float64(neg))
}

// An emergency is urgent in the category the taxonomy gives it, whatever
// the model thought.
func TestClassifyEmergency(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	c := NewEmbedded(m, demoGazetteer(t))
	for _, tc := range emergencyCases(t) {
		if tc.Kind == "" {
			continue
		}
		r, err := c.Classify(context.Background(), Input{Text: tc.Text})
		if err != nil {
			t.Fatal(err)
		}
		if r.Emergency != tc.Kind || r.Urgency != taxonomy.Urgent || !slices.Contains(strings.Split(tc.Category, "|"), string(r.Category)) {
			t.Errorf("Classify(%q) = %s/%s emergency %q, want %s/urgent emergency %q", tc.Text, r.Category, r.Urgency, r.Emergency, tc.Category, tc.Kind)
		}
	}
}
