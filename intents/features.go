package intents

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// The model sees a message as a sparse vector: hashed character n-grams of
// the normalised text, weighted by log count times IDF and L2-normalised,
// followed by a few dense-ish extras with a fixed value: one per lexicon
// group present, one per compound of groups that holds, one per urgency cue
// that fires, and a length bucket (a two-character message is a greeting
// far more often than a long one).
const (
	maxN         = 4
	lengthBucket = 4
)

// grams is a set of n-gram lengths: bit n means n-grams of n characters.
type grams uint8

// lengthBucketOf sorts a message by its length in runes.
func lengthBucketOf(n int) int {
	switch {
	case n <= 4:
		return 0
	case n <= 12:
		return 1
	case n <= 40:
		return 2
	default:
		return 3
	}
}

// extractor turns text into n-gram hashes and extra features. It holds only
// read-only tables and is safe for concurrent use.
type extractor struct {
	lex       *dict
	compounds []compoundMask
	cues      *cueSet
}

var defaultExtractor = sync.OnceValue(func() *extractor {
	return &extractor{lex: lexiconDict(), compounds: compoundMasks(), cues: newCueSet()}
})

// numExtras is the number of extra features after the n-grams.
func numExtras() int { return len(lexicon) + numCompoundFeatures() + len(cues) + lengthBucket }

// scratch holds per-call buffers so that classification does not allocate.
type scratch struct {
	norm   []rune
	fold   []rune
	hashes []uint64
	extras []int32
	idx    []int32
	val    []float32
	scores []float64
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// parsed is what the extractor reads from one text.
type parsed struct {
	hashes []uint64 // sorted n-gram hashes, duplicates kept (they are counts)
	extras []int32  // indices of present extras, relative to the first extra
	cues   uint64   // mask of cues that fire
}

// parse normalises text and reads its n-grams, lexicon groups and cues.
// The returned slices live in s.
func (e *extractor) parse(text string, g grams, s *scratch) parsed {
	s.norm = append(s.norm[:0], beginRune)
	s.norm = normalize(s.norm, text)
	s.norm = append(s.norm, endRune)
	rs := s.norm

	s.hashes = s.hashes[:0]
	top := bits.Len8(uint8(g)) - 1 // the longest n-gram wanted
	for i := range rs {
		h := uint64(14695981039346656037) // FNV-1a, extended one rune at a time
		for n := 1; n <= top && i+n <= len(rs); n++ {
			h ^= uint64(rs[i+n-1])
			h *= 1099511628211
			if g&(1<<n) == 0 || n == 1 && (rs[i] == beginRune || rs[i] == endRune || rs[i] == sepRune) {
				continue // a boundary alone says nothing
			}
			s.hashes = append(s.hashes, h^uint64(n)<<60)
		}
	}
	slices.Sort(s.hashes)

	var p parsed
	p.hashes = s.hashes
	var groups uint64
	e.lex.each(rs, func(_, _ int, grp int32) { groups |= 1 << grp })
	s.fold = foldCue(s.fold[:0], text)
	p.cues = e.cues.find(s.fold)

	s.extras = s.extras[:0]
	for grp := range lexicon {
		if groups&(1<<grp) != 0 {
			s.extras = append(s.extras, int32(grp))
		}
	}
	base := len(lexicon)
	s.extras = appendCompounds(s.extras, base, e.compounds, groups)
	base += numCompoundFeatures()
	for c := range cues {
		if p.cues&(1<<c) != 0 {
			s.extras = append(s.extras, int32(base+c))
		}
	}
	base += len(cues)
	s.extras = append(s.extras, int32(base+lengthBucketOf(len(rs)-2)))
	p.extras = s.extras
	return p
}

// vectorize maps parsed features onto a model's feature space: n-grams
// outside the vocabulary are dropped; values are (1+log tf)·idf,
// L2-normalised, then the extras at extraValue. It appends to idx and val.
func vectorize(p parsed, vocab map[uint64]int32, idf []float32, extraValue float32, idx []int32, val []float32) ([]int32, []float32) {
	start := len(val)
	var norm float64
	for i := 0; i < len(p.hashes); {
		j := i + 1
		for j < len(p.hashes) && p.hashes[j] == p.hashes[i] {
			j++
		}
		if f, ok := vocab[p.hashes[i]]; ok {
			tf := 1 + math.Log(float64(j-i))
			v := tf * float64(idf[f])
			idx = append(idx, f)
			val = append(val, float32(v))
			norm += v * v
		}
		i = j
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := start; i < len(val); i++ {
			val[i] *= inv
		}
	}
	if extraValue != 0 {
		base := int32(len(idf))
		for _, x := range p.extras {
			idx = append(idx, base+x)
			val = append(val, extraValue)
		}
	}
	return idx, val
}

// prepare is what the model reads of a message: the text normalised
// (Normalize), the village names g finds masked, then anger and
// repetition cut (stripAnger) and greetings and thanks trimmed
// (stripCourtesy). Training and prediction both read it.
func prepare(text string, g *Gazetteer) string {
	return trimManners(maskVillages(Normalize(text), g))
}

// trimManners cuts what says how a resident feels rather than what is
// wrong. A message that is nothing but that is left whole.
func trimManners(text string) string {
	s := stripCourtesy(stripAnger(text))
	if !hasHanOrDigits(s, 2) {
		return text
	}
	return s
}

// features leaves in s.idx and s.val the model's input vector for a message
// of one or more prepared fields (a title and a body, say) and returns the
// mask of urgency cues. Each field's n-grams are weighted and
// L2-normalised on their own and the vectors summed, so a short title
// counts as much as a long body; the extras come from the fields joined.
func (m *Model) features(fields []string, s *scratch) (cues uint64) {
	e := defaultExtractor()
	s.idx, s.val = s.idx[:0], s.val[:0]
	if len(fields) == 1 {
		p := e.parse(fields[0], m.grams, s)
		s.idx, s.val = vectorize(p, m.vocab, m.idf, m.extraValue, s.idx, s.val)
		return p.cues
	}
	for _, f := range fields {
		p := e.parse(f, m.grams, s)
		p.extras = nil
		s.idx, s.val = vectorize(p, m.vocab, m.idf, m.extraValue, s.idx, s.val)
	}
	s.idx, s.val = mergeSparse(s.idx, s.val)
	p := e.parse(strings.Join(fields, "\n"), m.grams, s)
	s.idx, s.val = m.appendExtras(p, s.idx, s.val)
	return p.cues
}

// appendExtras appends the extra features of p.
func (m *Model) appendExtras(p parsed, idx []int32, val []float32) ([]int32, []float32) {
	if m.extraValue == 0 {
		return idx, val
	}
	base := int32(len(m.idf))
	for _, x := range p.extras {
		idx = append(idx, base+x)
		val = append(val, m.extraValue)
	}
	return idx, val
}

// mergeSparse sorts a sparse vector by index and sums repeated indices.
func mergeSparse(idx []int32, val []float32) ([]int32, []float32) {
	order := make([]int, len(idx))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(idx[a], idx[b]) })
	outIdx := make([]int32, 0, len(idx))
	outVal := make([]float32, 0, len(idx))
	for _, i := range order {
		if n := len(outIdx); n > 0 && outIdx[n-1] == idx[i] {
			outVal[n-1] += val[i]
			continue
		}
		outIdx = append(outIdx, idx[i])
		outVal = append(outVal, val[i])
	}
	return append(idx[:0], outIdx...), append(val[:0], outVal...)
}
