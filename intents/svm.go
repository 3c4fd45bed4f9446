package intents

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// svmTolerance stops dual coordinate descent when the projected gradients
// span less than this; liblinear's default for the dual solvers.
const svmTolerance = 0.1

// fitSVM trains one-vs-rest linear SVMs with the squared hinge loss by dual
// coordinate descent (Hsieh et al. 2008, the liblinear solver): exact up to
// a tolerance, no learning rate, and on sparse text more accurate than
// SGD-trained logistic regression on the same features. With opts.NB > 0
// each class sees its features scaled by naive Bayes log-count ratios
// (NBSVM, Wang & Manning 2012), which helps when data are few; the ratios
// are folded into the weights, so prediction costs the same. The bias is an
// extra, regularised feature of value 1, as in liblinear. Scores are
// margins; softmax with a fitted temperature turns them into probabilities.
// Classes train in parallel, each with its own seeded shuffle, so the
// result does not depend on scheduling.
func fitSVM(docs []doc, ys []int, K, nFeat int, opts TrainOptions) linear {
	l := linear{K: K, W: make([]float32, nFeat*K), B: make([]float32, K)}
	classes := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), K) {
		wg.Go(func() {
			b := newSVMBuffers(len(docs), nFeat)
			for k := range classes {
				b.fitClass(docs, ys, k, opts)
				for f, x := range b.w {
					l.W[f*K+k] = float32(x * b.r[f])
				}
				l.B[k] = float32(b.bias)
			}
		})
	}
	for k := range K {
		classes <- k
	}
	close(classes)
	wg.Wait()
	return l
}

// svmBuffers is one worker's state for one binary problem at a time.
type svmBuffers struct {
	xs         [][]float32 // each doc's values scaled by r, for the class at hand
	w, r, p, q []float64   // weights, feature scales, NB counts
	alpha, qii []float64
	order      []int
	bias       float64
}

func newSVMBuffers(n, nFeat int) *svmBuffers {
	return &svmBuffers{
		w: make([]float64, nFeat), r: make([]float64, nFeat),
		p: make([]float64, nFeat), q: make([]float64, nFeat),
		alpha: make([]float64, n), qii: make([]float64, n), order: make([]int, n),
		xs: make([][]float32, n),
	}
}

// fitClass solves class k against the rest, leaving weights (before
// scaling by r) in b.w and the bias in b.bias.
func (b *svmBuffers) fitClass(docs []doc, ys []int, k int, opts TrainOptions) {
	n := len(docs)
	if opts.NB > 0 { // negative: off
		b.nbRatios(docs, ys, k, opts.NB)
	} else {
		for f := range b.r {
			b.r[f] = 1
		}
	}
	var pos float64
	for i, d := range docs {
		if ys[i] == k {
			pos++
		}
		q := 1.0 // the bias feature
		xs := b.xs[i][:0]
		for j, v := range d.val {
			x := float64(v) * b.r[d.idx[j]]
			xs = append(xs, float32(x))
			q += x * x
		}
		b.xs[i] = xs
		b.qii[i] = q
	}
	// Weight positives and negatives of this class as ClassBalance asks.
	cPos := opts.C * math.Pow(float64(n)/(2*max(pos, 1)), opts.ClassBalance)
	cNeg := opts.C * math.Pow(float64(n)/(2*max(float64(n)-pos, 1)), opts.ClassBalance)

	clear(b.w)
	clear(b.alpha)
	b.bias = 0
	for i := range b.order {
		b.order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, uint64(k)))
	w, alpha, order := b.w, b.alpha, b.order
	// Shrinking as in liblinear: an example at alpha = 0 whose gradient is
	// beyond the last pass's largest projected gradient is far outside the
	// margin and leaves the active set until the solution is checked on all
	// examples again.
	active := n
	// With no upper bound on alpha (L2 loss), only examples at alpha = 0
	// can shrink, so only the largest projected gradient is kept.
	pgMaxOld := math.Inf(1)
	for range opts.Epochs {
		rng.Shuffle(active, func(i, j int) { order[i], order[j] = order[j], order[i] })
		pgMax, pgMin := math.Inf(-1), math.Inf(1)
		for s := 0; s < active; s++ {
			i := order[s]
			d := &docs[i]
			y, c := -1.0, cNeg
			if ys[i] == k {
				y, c = 1, cPos
			}
			dii := 1 / (2 * c)
			xs := b.xs[i][:len(d.idx)]
			score := b.bias
			for j, f := range d.idx {
				score += w[f] * float64(xs[j])
			}
			g := y*score - 1 + dii*alpha[i]
			pg := g
			if alpha[i] == 0 {
				if g > pgMaxOld {
					active--
					order[s], order[active] = order[active], order[s]
					s--
					continue
				}
				pg = min(g, 0)
			}
			pgMax, pgMin = max(pgMax, pg), min(pgMin, pg)
			if math.Abs(pg) < 1e-12 {
				continue
			}
			old := alpha[i]
			alpha[i] = max(old-g/(b.qii[i]+dii), 0)
			delta := (alpha[i] - old) * y
			for j, f := range d.idx {
				w[f] += delta * float64(xs[j])
			}
			b.bias += delta
		}
		if pgMax-pgMin <= svmTolerance {
			if active == n {
				break
			}
			active = n
			pgMaxOld = math.Inf(1)
			continue
		}
		pgMaxOld = pgMax
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
	}
}

// nbRatios sets b.r to the naive Bayes log-count ratios of class k against
// the rest, over feature values, with smoothing alpha, scaled to mean 1 so
// that C keeps its meaning.
func (b *svmBuffers) nbRatios(docs []doc, ys []int, k int, alpha float64) {
	p, q, r := b.p, b.q, b.r
	for f := range p {
		p[f], q[f] = alpha, alpha
	}
	for i, d := range docs {
		t := q
		if ys[i] == k {
			t = p
		}
		for j, f := range d.idx {
			t[f] += float64(d.val[j])
		}
	}
	var sp, sq float64
	for f := range p {
		sp += p[f]
		sq += q[f]
	}
	var mean float64
	for f := range r {
		r[f] = math.Abs(math.Log((p[f] / sp) / (q[f] / sq)))
		mean += r[f]
	}
	mean /= float64(len(r))
	for f := range r {
		r[f] /= mean
	}
}
