package intents

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"hotline/taxonomy"
)

// TrainOptions tune training. The zero value of a field means its default;
// DefaultTrainOptions spells the defaults out.
type TrainOptions struct {
	NGrams  []int   // lengths of the character n-grams
	MinDocs int     // n-grams found in fewer examples are dropped
	C       float64 // SVM cost: larger fits the training data more closely
	// NB smooths the naive Bayes log-count ratios that scale each class's
	// features; negative turns the scaling off.
	NB     float64
	Epochs int    // at most this many passes of the SVM solver
	Seed   uint64 // shuffling seed: the same data and seed give the same model
	// ExtraValue is the feature value of a lexicon group, urgency cue or
	// length bucket. The lexicon is written for the township's taxonomy, so
	// a label set with any other label trains without extras.
	ExtraValue float64
	// ClassBalance weights the two sides of each one-vs-rest problem by
	// (n/(2·n_side))^ClassBalance: 0 lets the rest dominate, 1 balances
	// fully. Negative means 0.
	ClassBalance float64
	// CalibrationShare of the examples (by hash of id) is held out to fit
	// the confidence temperatures; the model is then retrained on all of
	// them. Negative turns calibration off (temperature 1).
	CalibrationShare float64
	// UrgentCut is the calibrated probability of urgent at or above which a
	// message is urgent. Low, because an urgent ticket missed is worse than
	// a false alarm.
	UrgentCut float64
	// Gazetteer, when set, masks village names before feature extraction so
	// the model does not learn categories from where messages come from.
	Gazetteer *Gazetteer
}

// DefaultTrainOptions are the options the embedded model is trained with.
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{
		NGrams:           []int{1, 2},
		MinDocs:          2,
		C:                1,
		NB:               0.03,
		Epochs:           10,
		Seed:             1,
		ExtraValue:       0.3,
		ClassBalance:     0.5,
		CalibrationShare: 0.2,
		UrgentCut:        0.05,
	}
}

func (o TrainOptions) withDefaults() TrainOptions {
	d := DefaultTrainOptions()
	if len(o.NGrams) == 0 {
		o.NGrams = d.NGrams
	}
	if o.MinDocs <= 0 {
		o.MinDocs = d.MinDocs
	}
	if o.C <= 0 {
		o.C = d.C
	}
	if o.NB == 0 {
		o.NB = d.NB
	}
	if o.Epochs <= 0 {
		o.Epochs = d.Epochs
	}
	if o.Seed == 0 {
		o.Seed = d.Seed
	}
	if o.ExtraValue <= 0 {
		o.ExtraValue = d.ExtraValue
	}
	switch {
	case o.ClassBalance == 0:
		o.ClassBalance = d.ClassBalance
	case o.ClassBalance < 0:
		o.ClassBalance = 0
	}
	if o.CalibrationShare == 0 {
		o.CalibrationShare = d.CalibrationShare
	}
	if o.UrgentCut <= 0 {
		o.UrgentCut = d.UrgentCut
	}
	return o
}

// Train fits a model to labelled examples, with any label set. Examples
// with empty text or label are skipped. When every example carries a valid
// urgency, the model also learns urgency. Training is deterministic.
//
// Features are computed once for all examples; with calibration, the
// layers are first fitted without the calibration share to find the
// temperatures that make their probabilities honest on it, then refitted
// on everything (the vocabulary and IDF, which use no labels, come from
// all examples both times).
func Train(examples []Example, opts TrainOptions) (*Model, error) {
	opts = opts.withDefaults()
	g, err := gramSet(opts.NGrams)
	if err != nil {
		return nil, err
	}
	examples = slices.DeleteFunc(slices.Clone(examples), func(e Example) bool {
		return strings.TrimSpace(e.Text) == "" || e.Label == ""
	})
	labels := labelOrder(labelSet(examples))
	if len(labels) < 2 {
		return nil, fmt.Errorf("train: need examples of at least 2 labels, have %d", len(labels))
	}
	extra := opts.ExtraValue
	for _, l := range labels {
		if !taxonomy.Category(l).Valid() {
			extra = 0
		}
	}
	m := &Model{labels: labels, grams: g, extraValue: float32(extra), temperature: 1,
		urgencyTemperature: 1, urgentCut: opts.UrgentCut, maskVillage: opts.Gazetteer != nil}
	docs := m.buildFeatures(examples, opts)
	nFeat := len(m.idf) + numExtras()

	ys := make([]int, len(examples))
	for i, e := range examples {
		ys[i] = slices.Index(labels, e.Label)
	}
	uys, withUrgency := urgencyTargets(examples)

	if opts.CalibrationShare > 0 && opts.CalibrationShare < 1 {
		var fit, held []int
		for i, e := range examples {
			key := e.ID
			if key == "" {
				key = e.Text
			}
			if hashShare("calibrate", key) < opts.CalibrationShare {
				held = append(held, i)
			} else {
				fit = append(fit, i)
			}
		}
		if len(held) >= 10 && len(fit) >= 10 {
			m.temperature = calibrate(docs, ys, len(labels), nFeat, fit, held, opts)
			if withUrgency {
				m.urgencyTemperature = calibrate(docs, uys, len(urgencyLabels), nFeat, fit, held, opts)
			}
		}
	}
	m.category = fitSVM(docs, ys, len(labels), nFeat, opts)
	if withUrgency {
		u := fitSVM(docs, uys, len(urgencyLabels), nFeat, opts)
		m.urgency = &u
	}
	return m, nil
}

// buildFeatures sets the model's vocabulary and IDF from the examples and
// returns their vectors, computed exactly as prediction will compute them.
// Parsing and vectorising run on all cores; counting is sequential.
func (m *Model) buildFeatures(examples []Example, opts TrainOptions) []doc {
	type parsedExample struct {
		fields [][]uint64 // sorted n-gram hashes of each field
		extras []int32    // extras of the whole text
	}
	ps := make([]parsedExample, len(examples))
	parallel(len(examples), func(lo, hi int) {
		var s scratch
		for i := lo; i < hi; i++ {
			e := examples[i]
			var prepared []string
			for _, f := range e.fields() {
				f = prepare(f, opts.Gazetteer)
				prepared = append(prepared, f)
				p := defaultExtractor().parse(f, m.grams, &s)
				ps[i].fields = append(ps[i].fields, slices.Clone(p.hashes))
			}
			// The extras come from the whole text, as in Model.features.
			ps[i].extras = slices.Clone(defaultExtractor().parse(strings.Join(prepared, "\n"), m.grams, &s).extras)
		}
	})

	// Document frequencies count an n-gram once per example even when
	// several fields contain it.
	df := map[uint64]int{}
	var seen []uint64
	for _, p := range ps {
		seen = seen[:0]
		for _, hs := range p.fields {
			seen = append(seen, hs...)
		}
		if len(p.fields) > 1 {
			slices.Sort(seen)
		}
		for j, h := range seen {
			if j == 0 || h != seen[j-1] {
				df[h]++
			}
		}
	}
	var vocab []uint64
	for h, n := range df {
		if n >= opts.MinDocs {
			vocab = append(vocab, h)
		}
	}
	slices.Sort(vocab) // map order is random; feature order must not be
	m.vocab = make(map[uint64]int32, len(vocab))
	m.idf = make([]float32, len(vocab))
	for i, h := range vocab {
		m.vocab[h] = int32(i)
		m.idf[i] = float32(math.Log(float64(len(examples)+1)/float64(df[h]+1)) + 1)
	}

	docs := make([]doc, len(examples))
	parallel(len(examples), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			var idx []int32
			var val []float32
			for _, hs := range ps[i].fields {
				idx, val = vectorize(parsed{hashes: hs}, m.vocab, m.idf, 0, idx, val)
			}
			if len(ps[i].fields) > 1 {
				idx, val = mergeSparse(idx, val)
			}
			idx, val = m.appendExtras(parsed{extras: ps[i].extras}, idx, val)
			docs[i] = doc{idx: idx, val: val}
		}
	})
	return docs
}

// parallel splits [0, n) into one contiguous range per core and runs fn on
// each concurrently. Each index is handled by exactly one call, so results
// written by index do not depend on scheduling.
func parallel(n int, fn func(lo, hi int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n/64))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

// calibrate fits a layer on the fit examples and returns the temperature
// that makes its probabilities honest on the held ones.
func calibrate(docs []doc, ys []int, K, nFeat int, fit, held []int, opts TrainOptions) float64 {
	pick := func(idx []int) ([]doc, []int) {
		d := make([]doc, len(idx))
		y := make([]int, len(idx))
		for j, i := range idx {
			d[j], y[j] = docs[i], ys[i]
		}
		return d, y
	}
	fd, fy := pick(fit)
	hd, hy := pick(held)
	l := fitSVM(fd, fy, K, nFeat, opts)
	return fitTemperature(&l, hd, hy)
}

// gramSet checks n-gram lengths.
func gramSet(ns []int) (grams, error) {
	var g grams
	for _, n := range ns {
		if n < 1 || n > maxN {
			return 0, fmt.Errorf("train: n-gram length %d outside 1..%d", n, maxN)
		}
		g |= 1 << n
	}
	return g, nil
}

// labelSet lists the distinct labels, sorted.
func labelSet(examples []Example) []string {
	var out []string
	for _, e := range examples {
		out = append(out, e.Label)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// doc is one training example as a sparse vector.
type doc struct {
	idx []int32
	val []float32
}

// labelOrder puts taxonomy categories in contract order and any other
// labels after them, sorted, so that output is stable and readable.
func labelOrder(labels []string) []string {
	var out []string
	for _, c := range taxonomy.Categories {
		if slices.Contains(labels, string(c)) {
			out = append(out, string(c))
		}
	}
	for _, l := range labels {
		if !taxonomy.Category(l).Valid() {
			out = append(out, l)
		}
	}
	return out
}

// urgencyTargets returns the urgency class of every example, or false if
// any lacks a valid urgency or only one urgency occurs.
func urgencyTargets(examples []Example) ([]int, bool) {
	ys := make([]int, len(examples))
	seen := map[int]bool{}
	for i, e := range examples {
		j := slices.Index(urgencyLabels, e.Urgency)
		if j < 0 {
			return nil, false
		}
		ys[i] = j
		seen[j] = true
	}
	return ys, len(seen) >= 2
}

// fitTemperature finds the temperature that minimises the negative
// log-likelihood of held-out labels (temperature scaling): it stretches or
// shrinks the layer's confidence without changing its choices.
func fitTemperature(l *linear, docs []doc, ys []int) float64 {
	scores := make([][]float64, len(docs))
	for i, d := range docs {
		scores[i] = make([]float64, l.K)
		l.scores(d.idx, d.val, scores[i])
	}
	p := make([]float64, l.K)
	nll := func(logT float64) float64 {
		var sum float64
		for i, sc := range scores {
			copy(p, sc)
			softmax(p, math.Exp(logT))
			sum -= math.Log(max(p[ys[i]], 1e-12))
		}
		return sum
	}
	// Golden-section search over log T; the NLL is unimodal in T.
	lo, hi := math.Log(0.01), math.Log(20)
	phi := (math.Sqrt(5) - 1) / 2
	a, c := hi-phi*(hi-lo), lo+phi*(hi-lo)
	fa, fc := nll(a), nll(c)
	for range 50 {
		if fa < fc {
			hi, c, fc = c, a, fa
			a = hi - phi*(hi-lo)
			fa = nll(a)
		} else {
			lo, a, fa = a, c, fc
			c = lo + phi*(hi-lo)
			fc = nll(c)
		}
	}
	return math.Exp((lo + hi) / 2)
}
