package intents

import (
	"strings"
	"unicode"
)

// Separator runes after normalisation. Residents punctuate with spaces,
// commas and full stops interchangeably, so all of them become one boundary;
// question and exclamation marks carry meaning (a question, an alarm) and
// stay distinct.
const (
	sepRune   = '|'
	beginRune = '^'
	endRune   = '$'
)

// normalize appends to dst the runes of s folded for feature extraction:
// full-width forms to ASCII, ASCII to lower case, digits to '0', every run
// of separators to one sepRune and runs of '?' or '!' to one.
func normalize(dst []rune, s string) []rune {
	last := rune(sepRune)
	for _, r := range s {
		r = foldRune(r)
		switch r {
		case sepRune, '?', '!':
			if last == r {
				continue
			}
		}
		dst = append(dst, r)
		last = r
	}
	// Trailing separators say nothing.
	for len(dst) > 0 && dst[len(dst)-1] == sepRune {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// foldRune maps one rune to its normal form.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	switch {
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r >= '0' && r <= '9':
		return '0'
	case r == '?' || r == '!':
		return r
	case strings.ContainsRune(separators, r), unicode.IsSpace(r), unicode.IsControl(r):
		return sepRune
	}
	return r
}

// separators are the marks that, like spaces, only divide a message.
const separators = "~…—-～ ,.;:|\"'()^$，。、；：“”‘’（）《》【】「」·"

// hasContent reports whether s contains a letter or digit: "？？？" or "..."
// does not, and is no request at all.
func hasContent(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}
