package sameproblem

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

type pair struct {
	Category string    `json:"category"`
	A        string    `json:"a"`
	B        string    `json:"b"`
	AAt      []float64 `json:"a_at"` // a shared place, lat and lon
	BAt      []float64 `json:"b_at"`
	Same     bool      `json:"same"`
}

func readPairs(t *testing.T, path string) []pair {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var p pair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// report reads a pair's side, with its place when it has one.
func report(text string, at []float64) Report {
	r := Read(text)
	if len(at) == 2 {
		r = r.At(at[0], at[1])
	}
	return r
}

// score counts the matcher's decisions on pairs, both ways round.
type score struct{ tp, fp, fn, tn int }

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func evaluate(t *testing.T, ps []pair) score {
	t.Helper()
	var s score
	for _, p := range ps {
		a, b := report(p.A, p.AAt), report(p.B, p.BAt)
		for _, order := range [][2]Report{{a, b}, {b, a}} {
			got := Same(order[0], order[1])
			switch {
			case got && p.Same:
				s.tp++
			case got && !p.Same:
				s.fp++
				t.Logf("wrong merge (%s): %q ~ %q", p.Category, order[0].words, order[1].words)
			case !got && p.Same:
				s.fn++
				t.Logf("missed (%s): %q ~ %q", p.Category, order[0].words, order[1].words)
			default:
				s.tn++
			}
		}
	}
	return s
}

// TestPairs measures the matcher on pairs written for it: dev.jsonl, which
// the rules were tuned on; heldout.jsonl, written before the matcher (its
// one miss on the first run, garbage collection, was also in dev.jsonl
// and fixed there); heldout2.jsonl, written after the matcher and never
// tuned on. Run with -v to see the figures and every miss:
//
//	go test ./sameproblem -run TestPairs -v
func TestPairs(t *testing.T) {
	for _, set := range []struct {
		file                    string
		minPrecision, minRecall float64
	}{
		{"testdata/dev.jsonl", 1, 0.85},
		{"testdata/heldout.jsonl", 0.95, 0.6},
		{"testdata/heldout2.jsonl", 0.95, 0.5},
	} {
		s := evaluate(t, readPairs(t, set.file))
		t.Logf("%s: %d pairs each way; precision %.3f (%d/%d), recall %.3f (%d/%d)", set.file,
			(s.tp+s.fp+s.fn+s.tn)/2, s.precision(), s.tp, s.tp+s.fp, s.recall(), s.tp, s.tp+s.fn)
		if s.precision() < set.minPrecision || s.recall() < set.minRecall {
			t.Errorf("%s: precision %.3f recall %.3f, want at least %.2f and %.2f", set.file, s.precision(), s.recall(), set.minPrecision, set.minRecall)
		}
	}
}
