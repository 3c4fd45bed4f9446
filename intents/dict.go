package intents

import "sort"

// dict finds known words in a rune sequence. Words are indexed by their
// first rune, longest first, so a scan costs one map lookup per position
// plus a comparison with the few words that start there.
type dict struct {
	byFirst map[rune][]dictWord
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
	}
	ws := append(d.byFirst[rs[0]], dictWord{rs, val})
	sort.SliceStable(ws, func(i, j int) bool { return len(ws[i].runes) > len(ws[j].runes) })
	d.byFirst[rs[0]] = ws
}

// longestAt returns the value and length of the longest word starting at
// text[i], or n == 0 if none does.
func (d *dict) longestAt(text []rune, i int) (val int32, n int) {
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
		for _, w := range d.byFirst[r] {
			if hasPrefixRunes(text[i:], w.runes) {
				fn(i, i+len(w.runes), w.val)
			}
		}
	}
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
