package botsim

import (
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// formatted is a message text as Telegram stores it: plain text, entities
// with UTF-16 offsets, and (for the chat page) a re-rendered HTML string that
// holds only whitelisted tags and escaped text.
type formatted struct {
	plain    string
	entities []wireEntity
	safe     string
}

// entityTags maps each start tag Telegram's HTML parse mode accepts to the
// entity it produces. Anything else is rejected.
var entityTags = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"span": "spoiler", "tg-spoiler": "spoiler",
	"a":          "text_link",
	"code":       "code",
	"pre":        "pre",
	"blockquote": "blockquote",
}

// pageTags is the element the chat page renders for each entity type.
var pageTags = map[string]string{
	"bold": "b", "italic": "i", "underline": "u", "strikethrough": "s",
	"spoiler": "span", "text_link": "a", "code": "code", "pre": "pre",
	"blockquote": "blockquote", "expandable_blockquote": "blockquote",
}

type openTag struct {
	name   string
	entity wireEntity
	offset int // byte offset of the start tag, for error messages
	page   string
}

// plainText formats text sent without parse_mode.
func plainText(text string) formatted {
	return formatted{plain: text, safe: html.EscapeString(text)}
}

// parseHTML parses text the way the Bot API does for parse_mode=HTML, but
// stricter in one respect, as the Bot API documentation demands: every '&',
// '<' and '>' outside a tag must be an entity (tdlib lets a stray '>' or an
// unknown '&name;' through as text). Error texts follow tdlib's wording and
// are prefixed by the caller with "can't parse entities: ".
func parseHTML(text string) (formatted, error) {
	var (
		plain strings.Builder
		safe  strings.Builder
		units int // UTF-16 length of plain so far
		stack []openTag
		ents  []wireEntity
	)
	emit := func(s string) {
		plain.WriteString(s)
		safe.WriteString(html.EscapeString(s))
		units += utf16Len(s)
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
		case '&':
			s, n, err := decodeEntity(text, i)
			if err != nil {
				return formatted{}, err
			}
			emit(s)
			i += n
		case '>':
			return formatted{}, fmt.Errorf("character '>' must be escaped as &gt; at byte offset %d", i)
		case '<':
			if i+1 < len(text) && text[i+1] == '/' {
				end, n, err := parseEndTag(text, i)
				if err != nil {
					return formatted{}, err
				}
				if len(stack) == 0 {
					return formatted{}, fmt.Errorf("Unexpected end tag at byte offset %d", i)
				}
				top := stack[len(stack)-1]
				if end != top.name {
					return formatted{}, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, end)
				}
				stack = stack[:len(stack)-1]
				if top.entity.Type != "" {
					top.entity.Length = units - top.entity.Offset
					if top.entity.Length > 0 {
						ents = append(ents, top.entity)
					}
				}
				if top.page != "" {
					safe.WriteString("</" + top.page + ">")
				}
				i += n
				continue
			}
			tag, n, err := parseStartTag(text, i, stack)
			if err != nil {
				return formatted{}, err
			}
			tag.entity.Offset = units
			if tag.page != "" {
				safe.WriteString(pageOpen(tag))
			}
			stack = append(stack, tag)
			i += n
		default:
			r, n := utf8.DecodeRuneInString(text[i:])
			emit(string(r))
			i += n
		}
	}
	if len(stack) > 0 {
		return formatted{}, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	sort.SliceStable(ents, func(a, b int) bool {
		if ents[a].Offset != ents[b].Offset {
			return ents[a].Offset < ents[b].Offset
		}
		return ents[a].Length > ents[b].Length
	})
	return formatted{plain: plain.String(), entities: ents, safe: safe.String()}, nil
}

// decodeEntity decodes the character reference at text[i] ('&'). Telegram
// supports &lt; &gt; &amp; &quot; and numeric references only.
func decodeEntity(text string, i int) (string, int, error) {
	end := strings.IndexByte(text[i:], ';')
	if end < 0 || end > 12 {
		return "", 0, fmt.Errorf("character '&' must be escaped as &amp; at byte offset %d", i)
	}
	name := text[i+1 : i+end]
	switch name {
	case "lt":
		return "<", end + 1, nil
	case "gt":
		return ">", end + 1, nil
	case "amp":
		return "&", end + 1, nil
	case "quot":
		return `"`, end + 1, nil
	}
	if strings.HasPrefix(name, "#") {
		var (
			cp  uint64
			err error
		)
		if strings.HasPrefix(name, "#x") || strings.HasPrefix(name, "#X") {
			cp, err = strconv.ParseUint(name[2:], 16, 32)
		} else {
			cp, err = strconv.ParseUint(name[1:], 10, 32)
		}
		r := rune(cp)
		if err == nil && cp > 0 && utf8.ValidRune(r) {
			return string(r), end + 1, nil
		}
	}
	return "", 0, fmt.Errorf("Unsupported HTML entity \"&%s;\" at byte offset %d", name, i)
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func skipSpace(text string, j int) int {
	for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r') {
		j++
	}
	return j
}

// parseEndTag reads "</name>" at text[i].
func parseEndTag(text string, i int) (string, int, error) {
	j := i + 2
	for j < len(text) && isNameByte(text[j]) {
		j++
	}
	name := strings.ToLower(text[i+2 : j])
	j = skipSpace(text, j)
	if j >= len(text) || text[j] != '>' {
		return "", 0, fmt.Errorf("Unclosed end tag at byte offset %d", i)
	}
	return name, j + 1 - i, nil
}

// parseStartTag reads "<name attr=value ...>" at text[i].
func parseStartTag(text string, i int, stack []openTag) (openTag, int, error) {
	j := i + 1
	for j < len(text) && isNameByte(text[j]) {
		j++
	}
	name := strings.ToLower(text[i+1 : j])
	if name == "" {
		return openTag{}, 0, fmt.Errorf("Unexpected end of name token at byte offset %d", i)
	}
	entType, ok := entityTags[name]
	if !ok {
		return openTag{}, 0, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
	}
	attrs := map[string]string{}
	for {
		j = skipSpace(text, j)
		if j >= len(text) {
			return openTag{}, 0, fmt.Errorf("Unclosed start tag at byte offset %d", i)
		}
		if text[j] == '>' {
			j++
			break
		}
		k := j
		for k < len(text) && isNameByte(text[k]) {
			k++
		}
		attr := strings.ToLower(text[j:k])
		if attr == "" {
			return openTag{}, 0, fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", name, j)
		}
		k = skipSpace(text, k)
		if k >= len(text) || text[k] != '=' {
			attrs[attr] = "" // a valueless attribute such as <blockquote expandable>
			j = k
			continue
		}
		k = skipSpace(text, k+1)
		val, n, err := parseAttrValue(text, k, i)
		if err != nil {
			return openTag{}, 0, err
		}
		attrs[attr] = val
		j = k + n
	}
	tag := openTag{name: name, offset: i, entity: wireEntity{Type: entType}, page: pageTags[entType]}
	switch name {
	case "a":
		tag.entity.URL = attrs["href"]
		if tag.entity.URL == "" {
			tag.entity.Type, tag.page = "", "" // tdlib keeps the text and drops the link
		}
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return openTag{}, 0, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
		}
	case "blockquote":
		if _, ok := attrs["expandable"]; ok {
			tag.entity.Type = "expandable_blockquote"
		}
	case "code":
		// <pre><code class="language-go"> names the pre block's language and
		// adds no entity of its own; a standalone code ignores the class.
		if len(stack) > 0 && stack[len(stack)-1].name == "pre" {
			if lang, ok := strings.CutPrefix(attrs["class"], "language-"); ok && lang != "" {
				stack[len(stack)-1].entity.Language = lang
				tag.entity.Type, tag.page = "", ""
			}
		}
	}
	return tag, j - i, nil
}

func parseAttrValue(text string, k, tagOffset int) (string, int, error) {
	if k >= len(text) {
		return "", 0, fmt.Errorf("Unclosed start tag at byte offset %d", tagOffset)
	}
	var raw string
	n := 0
	if q := text[k]; q == '"' || q == '\'' {
		end := strings.IndexByte(text[k+1:], q)
		if end < 0 {
			return "", 0, fmt.Errorf("Unclosed start tag at byte offset %d", tagOffset)
		}
		raw, n = text[k+1:k+1+end], end+2
	} else {
		e := k
		for e < len(text) && text[e] != '>' && text[e] != ' ' && text[e] != '\t' && text[e] != '\n' {
			e++
		}
		raw, n = text[k:e], e-k
	}
	var val strings.Builder
	for i := 0; i < len(raw); {
		if raw[i] == '&' {
			s, m, err := decodeEntity(raw, i)
			if err != nil {
				return "", 0, fmt.Errorf("%w in the attribute of the tag at byte offset %d", err, tagOffset)
			}
			val.WriteString(s)
			i += m
			continue
		}
		val.WriteByte(raw[i])
		i++
	}
	return val.String(), n, nil
}

// pageOpen renders the start tag for the chat page. Link targets are limited
// to web and tg: schemes so that a bot message cannot run script in the page.
func pageOpen(t openTag) string {
	switch t.entity.Type {
	case "spoiler":
		return `<span class="spoiler">`
	case "expandable_blockquote":
		return `<blockquote class="expandable">`
	case "text_link":
		u := t.entity.URL
		lower := strings.ToLower(u)
		if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "tg://") {
			return `<a href="` + html.EscapeString(u) + `" target="_blank" rel="noopener noreferrer">`
		}
		return "<a>"
	}
	return "<" + t.page + ">"
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
