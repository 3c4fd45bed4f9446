//lint:file-ignore ST1005 the errors repeat tdlib's wording, capitals included, as the Bot API returns it

package botsim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
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
	"tg-emoji":   "custom_emoji",
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
// unknown '&name;' through as text). golang.org/x/net/html cuts the text
// into tags and text; what Telegram accepts of them is checked here. Error
// texts follow tdlib's wording and are prefixed by the caller with "can't
// parse entities: ".
func parseHTML(text string) (formatted, error) {
	p := &htmlParser{text: text}
	z := html.NewTokenizer(strings.NewReader(text))
	pos := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := text[pos : pos+len(z.Raw())]
		if err := p.token(z, tt, raw, pos); err != nil {
			return formatted{}, err
		}
		pos += len(raw)
	}
	// The tokenizer drops a tag that the text ends inside.
	if rest := text[pos:]; strings.HasPrefix(rest, "</") {
		return formatted{}, fmt.Errorf("Unclosed end tag at byte offset %d", pos)
	} else if rest != "" {
		return formatted{}, fmt.Errorf("Unclosed start tag at byte offset %d", pos)
	}
	if len(p.stack) > 0 {
		return formatted{}, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", p.stack[len(p.stack)-1].name)
	}
	sort.SliceStable(p.ents, func(a, b int) bool {
		if p.ents[a].Offset != p.ents[b].Offset {
			return p.ents[a].Offset < p.ents[b].Offset
		}
		return p.ents[a].Length > p.ents[b].Length
	})
	return formatted{plain: p.plain.String(), entities: p.ents, safe: p.safe.String()}, nil
}

// htmlParser is the state of one parseHTML.
type htmlParser struct {
	text  string
	plain strings.Builder
	safe  strings.Builder
	units int // UTF-16 length of plain so far
	stack []openTag
	ents  []wireEntity
}

// token takes one token of the tokenizer, raw at byte offset pos.
func (p *htmlParser) token(z *html.Tokenizer, tt html.TokenType, raw string, pos int) error {
	name, _ := z.TagName()
	switch tt {
	case html.TextToken:
		return p.chars(raw, pos)
	case html.StartTagToken:
		return p.start(z, string(name), raw, pos)
	case html.EndTagToken:
		return p.end(string(name), pos)
	case html.SelfClosingTagToken:
		// tdlib reads the '/' as the start of an attribute name.
		return fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", name, pos+len(raw)-2)
	case html.CommentToken, html.DoctypeToken:
		// "<!", "<?" or "</" and no name: no tag Telegram knows.
		if strings.HasPrefix(raw, "</") {
			return fmt.Errorf("Unclosed end tag at byte offset %d", pos)
		}
		return fmt.Errorf("Unexpected end of name token at byte offset %d", pos)
	}
	return nil
}

// chars takes text between tags: every '&' must start a reference Telegram
// knows, and '<' and '>' must be escaped.
func (p *htmlParser) chars(raw string, pos int) error {
	for i := 0; i < len(raw); {
		switch raw[i] {
		case '&':
			s, n, err := decodeEntity(p.text, pos+i)
			if err != nil {
				return err
			}
			p.emit(s)
			i += n
			continue
		case '<':
			return fmt.Errorf("Unexpected end of name token at byte offset %d", pos+i)
		case '>':
			return fmt.Errorf("character '>' must be escaped as &gt; at byte offset %d", pos+i)
		}
		_, n := utf8.DecodeRuneInString(raw[i:])
		p.emit(raw[i : i+n])
		i += n
	}
	return nil
}

func (p *htmlParser) emit(s string) {
	p.plain.WriteString(s)
	p.safe.WriteString(html.EscapeString(s))
	p.units += utf16Len(s)
}

func (p *htmlParser) end(name string, pos int) error {
	if len(p.stack) == 0 {
		return fmt.Errorf("Unexpected end tag at byte offset %d", pos)
	}
	top := p.stack[len(p.stack)-1]
	if name != top.name {
		return fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", pos, top.name, name)
	}
	p.stack = p.stack[:len(p.stack)-1]
	if top.entity.Type != "" {
		top.entity.Length = p.units - top.entity.Offset
		if top.entity.Length > 0 {
			p.ents = append(p.ents, top.entity)
		}
	}
	if top.page != "" {
		p.safe.WriteString("</" + top.page + ">")
	}
	return nil
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

// start takes a start tag: only Telegram's tags, with the attributes
// they need; character references in attribute values follow the same
// rules as in text.
func (p *htmlParser) start(z *html.Tokenizer, name, raw string, pos int) error {
	entType, ok := entityTags[name]
	if !ok {
		return fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, pos)
	}
	for i := strings.IndexByte(raw, '&'); i >= 0; i = next(raw, i) {
		if _, _, err := decodeEntity(p.text, pos+i); err != nil {
			return fmt.Errorf("%w in the attribute of the tag at byte offset %d", err, pos)
		}
	}
	attrs := map[string]string{}
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		if len(k) > 0 {
			attrs[string(k)] = string(v)
		}
	}
	tag := openTag{name: name, offset: pos, entity: wireEntity{Type: entType}, page: pageTags[entType]}
	if err := tag.check(attrs, p.stack); err != nil {
		return err
	}
	tag.entity.Offset = p.units
	if tag.page != "" {
		p.safe.WriteString(pageOpen(tag))
	}
	p.stack = append(p.stack, tag)
	return nil
}

// next is the index of the next '&' in raw after i, or -1.
func next(raw string, i int) int {
	if j := strings.IndexByte(raw[i+1:], '&'); j >= 0 {
		return i + 1 + j
	}
	return -1
}

// check applies what each tag demands of its attributes.
func (t *openTag) check(attrs map[string]string, stack []openTag) error {
	switch t.name {
	case "a":
		t.entity.URL = attrs["href"]
		if t.entity.URL == "" {
			t.entity.Type, t.page = "", "" // tdlib keeps the text and drops the link
		}
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", t.offset)
		}
	case "tg-emoji":
		if t.entity.CustomEmojiID = attrs["emoji-id"]; t.entity.CustomEmojiID == "" {
			return fmt.Errorf("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %d", t.offset)
		}
	case "blockquote":
		if _, ok := attrs["expandable"]; ok {
			t.entity.Type = "expandable_blockquote"
		}
	case "code":
		// <pre><code class="language-go"> names the pre block's language and
		// adds no entity of its own; a standalone code ignores the class.
		if len(stack) > 0 && stack[len(stack)-1].name == "pre" {
			if lang, ok := strings.CutPrefix(attrs["class"], "language-"); ok && lang != "" {
				stack[len(stack)-1].entity.Language = lang
				t.entity.Type, t.page = "", ""
			}
		}
	}
	return nil
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
