package intents

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// ClassScore is precision, recall and F1 of one label.
type ClassScore struct {
	Label                 string
	Precision, Recall, F1 float64
	Support               int // gold examples of the label
	Predicted             int // examples predicted as the label
}

// Confusion counts examples of one label predicted as another.
type Confusion struct {
	Want, Got string
	N         int
}

// scores accumulates gold/predicted label pairs.
type scores struct {
	pairs map[[2]string]int
	n     int
}

func (s *scores) add(want, got string) {
	if s.pairs == nil {
		s.pairs = map[[2]string]int{}
	}
	s.pairs[[2]string{want, got}]++
	s.n++
}

// accuracy is the share of exact matches.
func (s *scores) accuracy() float64 {
	if s.n == 0 {
		return 0
	}
	var ok int
	for p, n := range s.pairs {
		if p[0] == p[1] {
			ok += n
		}
	}
	return float64(ok) / float64(s.n)
}

// perClass scores every label that is gold or predicted at least once, in
// the order of order followed by any others sorted.
func (s *scores) perClass(order []string) []ClassScore {
	tp, gold, pred := map[string]int{}, map[string]int{}, map[string]int{}
	for p, n := range s.pairs {
		gold[p[0]] += n
		pred[p[1]] += n
		if p[0] == p[1] {
			tp[p[0]] += n
		}
	}
	var labels []string
	for l := range gold {
		labels = append(labels, l)
	}
	for l := range pred {
		if _, ok := gold[l]; !ok {
			labels = append(labels, l)
		}
	}
	rank := func(l string) int {
		if i := slices.Index(order, l); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(labels, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
	})
	out := make([]ClassScore, len(labels))
	for i, l := range labels {
		c := ClassScore{Label: l, Support: gold[l], Predicted: pred[l]}
		if pred[l] > 0 {
			c.Precision = float64(tp[l]) / float64(pred[l])
		}
		if gold[l] > 0 {
			c.Recall = float64(tp[l]) / float64(gold[l])
		}
		if c.Precision+c.Recall > 0 {
			c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
		}
		out[i] = c
	}
	return out
}

// macroF1 is the unweighted mean F1 over every label gold or predicted.
func macroF1(cs []ClassScore) float64 {
	if len(cs) == 0 {
		return 0
	}
	var sum float64
	for _, c := range cs {
		sum += c.F1
	}
	return sum / float64(len(cs))
}

// confusions lists the off-diagonal pairs, most frequent first.
func (s *scores) confusions(top int) []Confusion {
	var out []Confusion
	for p, n := range s.pairs {
		if p[0] != p[1] {
			out = append(out, Confusion{p[0], p[1], n})
		}
	}
	slices.SortFunc(out, func(a, b Confusion) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Want, b.Want), cmp.Compare(a.Got, b.Got))
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

// writeClassTable prints per-class scores as an aligned table.
func writeClassTable(w io.Writer, cs []ClassScore) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "label\tprecision\trecall\tf1\tsupport\t")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t\n", c.Label, c.Precision, c.Recall, c.F1, c.Support)
	}
	return tw.Flush()
}
