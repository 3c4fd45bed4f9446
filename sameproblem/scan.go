package sameproblem

import "unicode/utf8"

// A dictionary scanned longest word first at each position, so that 红绿灯
// is not read as 灯 and 东头 in 村东头 is read once.
type dictionary[T any] struct {
	words  map[string]T
	maxLen int // in runes
}

func newDictionary[T any](words map[string]T) dictionary[T] {
	d := dictionary[T]{words: words}
	for w := range words {
		d.maxLen = max(d.maxLen, utf8.RuneCountInString(w))
	}
	return d
}

// scan returns the values of the words found in s, left to right.
func scan[T any](s string, d dictionary[T]) []T {
	var out []T
	rs := []rune(s)
	for i := 0; i < len(rs); {
		n := 0
		for l := min(d.maxLen, len(rs)-i); l > 0; l-- {
			if v, ok := d.words[string(rs[i:i+l])]; ok {
				out = append(out, v)
				n = l
				break
			}
		}
		if n == 0 {
			n = 1
		}
		i += n
	}
	return out
}

var thingWords = func() dictionary[group] {
	m := map[string]group{}
	for _, g := range groups {
		for _, w := range g.words {
			m[w] = g
		}
	}
	return newDictionary(m)
}()

var placeWords = newDictionary(places)
