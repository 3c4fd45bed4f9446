package bot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxTextUnits is Telegram's limit on a message's text after HTML parsing,
// in UTF-16 code units.
const maxTextUnits = 4096

type tokenKind int

const (
	tokText tokenKind = iota
	tokStart
	tokEnd
)

// htmlToken is one character (or character reference) of text, or one tag.
type htmlToken struct {
	raw  string
	kind tokenKind
	name string // tag name
	vis  int    // UTF-16 units Telegram counts for it
	r    rune   // the character, for text
}

// tokenizeHTML cuts Telegram-style HTML into characters and tags. It never
// fails: malformed markup is kept as text, and Telegram will reject it.
func tokenizeHTML(s string) []htmlToken {
	var toks []htmlToken
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if j := strings.IndexByte(s[i:], '>'); j > 0 {
				raw := s[i : i+j+1]
				t := htmlToken{raw: raw, kind: tokStart}
				body := raw[1 : len(raw)-1]
				if strings.HasPrefix(body, "/") {
					t.kind, body = tokEnd, body[1:]
				}
				t.name = strings.ToLower(firstField(body))
				toks = append(toks, t)
				i += j + 1
				continue
			}
		case '&':
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j <= 10 {
				raw := s[i : i+j+1]
				r := decodeRef(raw)
				toks = append(toks, htmlToken{raw: raw, kind: tokText, vis: runeUnits(r), r: r})
				i += j + 1
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		toks = append(toks, htmlToken{raw: s[i : i+n], kind: tokText, vis: runeUnits(r), r: r})
		i += n
	}
	return toks
}

func firstField(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// decodeRef decodes &lt; &gt; &amp; &quot; and numeric references; anything
// else counts as one character.
func decodeRef(raw string) rune {
	name := raw[1 : len(raw)-1]
	switch name {
	case "lt":
		return '<'
	case "gt":
		return '>'
	case "amp":
		return '&'
	case "quot":
		return '"'
	}
	if strings.HasPrefix(name, "#") {
		base, digits := 10, name[1:]
		if strings.HasPrefix(digits, "x") || strings.HasPrefix(digits, "X") {
			base, digits = 16, digits[1:]
		}
		if n, err := strconv.ParseUint(digits, base, 32); err == nil && utf8.ValidRune(rune(n)) {
			return rune(n)
		}
	}
	return '?'
}

func runeUnits(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// visibleLen is the length Telegram checks against its 4096 limit: text
// after HTML parsing, in UTF-16 code units.
func visibleLen(s string) int {
	n := 0
	for _, t := range tokenizeHTML(s) {
		n += t.vis
	}
	return n
}

// splitHTML cuts s into parts of at most max visible UTF-16 units. It cuts
// after the last newline that fits, else after the last space, else anywhere
// between characters; never inside a tag or a character reference. Elements
// open at a cut are closed at the end of the part and reopened at the start
// of the next, so every part is valid HTML on its own. Parts with nothing
// but whitespace are dropped (Telegram refuses an empty text).
func splitHTML(s string, max int) []string {
	if visibleLen(s) <= max {
		return []string{s}
	}
	toks := tokenizeHTML(s)
	var (
		parts []string
		open  []htmlToken // start tags open at the beginning of the part
	)
	for start := 0; start < len(toks); {
		stack := append([]htmlToken(nil), open...)
		vis := 0
		cutNL, cutSP := -1, -1
		var stackNL, stackSP []htmlToken
		end := len(toks)
		for i := start; i < len(toks); i++ {
			t := toks[i]
			if vis+t.vis > max && vis > 0 {
				end = i
				break
			}
			vis += t.vis
			switch t.kind {
			case tokStart:
				stack = append(stack, t)
			case tokEnd:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
			if t.kind == tokText && t.r == '\n' {
				cutNL, stackNL = i+1, append(stackNL[:0], stack...)
			} else if t.kind == tokText && t.r == ' ' {
				cutSP, stackSP = i+1, append(stackSP[:0], stack...)
			}
		}
		after := stack
		switch {
		case end == len(toks):
		case cutNL > start:
			end, after = cutNL, stackNL
		case cutSP > start:
			end, after = cutSP, stackSP
		}
		var b strings.Builder
		for _, t := range open {
			b.WriteString(t.raw)
		}
		blank := true
		for _, t := range toks[start:end] {
			b.WriteString(t.raw)
			if t.kind == tokText && !unicode.IsSpace(t.r) {
				blank = false
			}
		}
		for i := len(after) - 1; i >= 0; i-- {
			b.WriteString("</" + after[i].name + ">")
		}
		if !blank {
			parts = append(parts, b.String())
		}
		open = append([]htmlToken(nil), after...)
		start = end
	}
	return parts
}
