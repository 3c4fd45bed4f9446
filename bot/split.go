package bot

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// maxTextUnits is Telegram's limit on a message's text after HTML parsing,
// in UTF-16 code units.
const maxTextUnits = 4096

type tokenKind int

const (
	tokText  tokenKind = iota
	tokStart           // opens an element
	tokEnd             // closes one
	tokVoid            // a self-closing tag: opens and closes nothing
)

// htmlToken is one character (or character reference) of text, or one tag.
type htmlToken struct {
	raw  string
	kind tokenKind
	name string // tag name
	vis  int    // UTF-16 units Telegram counts for it
	r    rune   // the character, for text
}

// tokenizeHTML cuts Telegram-style HTML into characters and tags with
// golang.org/x/net/html's tokenizer. It never fails: what is no tag
// (malformed markup, a tag the text ends inside) is kept as characters,
// and Telegram will reject it.
func tokenizeHTML(s string) []htmlToken {
	var toks []htmlToken
	z := html.NewTokenizer(strings.NewReader(s))
	pos := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := s[pos : pos+len(z.Raw())]
		pos += len(raw)
		name, _ := z.TagName()
		switch tt {
		case html.StartTagToken:
			toks = append(toks, htmlToken{raw: raw, kind: tokStart, name: string(name)})
		case html.EndTagToken:
			toks = append(toks, htmlToken{raw: raw, kind: tokEnd, name: string(name)})
		case html.SelfClosingTagToken:
			toks = append(toks, htmlToken{raw: raw, kind: tokVoid, name: string(name)})
		default: // text, and comments or doctypes Telegram would refuse
			toks = appendChars(toks, raw)
		}
	}
	return appendChars(toks, s[pos:])
}

// appendChars appends the characters of text, a character reference
// (&amp;, &#39;) being one character.
func appendChars(toks []htmlToken, text string) []htmlToken {
	for i := 0; i < len(text); {
		if text[i] == '&' {
			if j := strings.IndexByte(text[i:], ';'); j > 1 && j <= 10 {
				raw := text[i : i+j+1]
				r, _ := utf8.DecodeRuneInString(html.UnescapeString(raw))
				toks = append(toks, htmlToken{raw: raw, kind: tokText, vis: runeUnits(r), r: r})
				i += j + 1
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		toks = append(toks, htmlToken{raw: text[i : i+n], kind: tokText, vis: runeUnits(r), r: r})
		i += n
	}
	return toks
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
