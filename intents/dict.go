package intents

import "sort"

// dict finds known words in a rune sequence. Words are indexed by their
// first rune, longest first, so a scan costs one map lookup per position
// plus a comparison with the few words that start there.
type dict struct {
	byFirst map[rune][]dictWord
	// starts marks the BMP runes some word starts with, so that the scan
	// skips the map for the many runes no word starts with.
	starts []uint64
}

type dictWord struct {
	runes []rune
	val   int32
}

// add registers word with a value; an empty word is ignored.
func (d *dict) add(word string, val int32) {
	rs := []rune(word)
	if len(rs) == 0 {
		return
	}
	if d.byFirst == nil {
		d.byFirst = map[rune][]dictWord{}
		d.starts = make([]uint64, 0x10000/64)
	}
	if r := rs[0]; r < 0x10000 {
		d.starts[r/64] |= 1 << (r % 64)
	}
	ws := append(d.byFirst[rs[0]], dictWord{rs, val})
	sort.SliceStable(ws, func(i, j int) bool { return len(ws[i].runes) > len(ws[j].runes) })
	d.byFirst[rs[0]] = ws
}

// longestAt returns the value and length of the longest word starting at
// text[i], or n == 0 if none does.
func (d *dict) longestAt(text []rune, i int) (val int32, n int) {
	if !d.mayStart(text[i]) {
		return 0, 0
	}
	for _, w := range d.byFirst[text[i]] {
		if hasPrefixRunes(text[i:], w.runes) {
			return w.val, len(w.runes)
		}
	}
	return 0, 0
}

// each calls fn for every occurrence of every word, overlapping ones
// included.
func (d *dict) each(text []rune, fn func(start, end int, val int32)) {
	for i, r := range text {
		if !d.mayStart(r) {
			continue
		}
		for _, w := range d.byFirst[r] {
			if hasPrefixRunes(text[i:], w.runes) {
				fn(i, i+len(w.runes), w.val)
			}
		}
	}
}

// mayStart reports whether some word may start with r.
func (d *dict) mayStart(r rune) bool {
	if d.byFirst == nil {
		return false
	}
	return r >= 0x10000 || d.starts[r/64]&(1<<(r%64)) != 0
}

func hasPrefixRunes(s, prefix []rune) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i, r := range prefix {
		if s[i] != r {
			return false
		}
	}
	return true
}
