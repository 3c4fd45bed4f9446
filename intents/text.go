package intents

import (
	"strings"
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"
)

// Normalize turns a message as residents type it into the one form the
// classifier, the gazetteer and the emergency detector read:
//
//   - zero-width and other invisible format characters, variation
//     selectors and emoji are dropped (an emoji becomes a space);
//   - full-width letters, digits and punctuation become half-width, every
//     run of white space one space, and a run of punctuation (！！！, ？？,
//     。。。) its first mark;
//   - traditional characters become simplified (OpenCC's t2s), so relatives
//     abroad and old phones are read like everyone else;
//   - characters typed with spaces between them (停 电 了) are joined;
//   - pinyin for the frequent problems (tingdian, ting shui, nuanqi bu re)
//     becomes the characters;
//   - common voice-to-text and typing homophones (暖器, 停点, 拉圾) and
//     dialect words (咋整, 俺们, 啥时候, 嘛时候) become the standard word.
//
// It never removes meaning a person would read, and applying it twice
// changes nothing more. The ticket keeps what the resident wrote.
func Normalize(text string) string {
	return defaultNormalizer().normalize(text)
}

// normalizer holds Normalize's read-only tables; it is safe for concurrent
// use.
type normalizer struct {
	t2s         *opencc.OpenCC // nil if it could not be built: then texts stay traditional
	traditional []uint64       // bit set over the BMP: runes t2s changes
	words       dict           // homophones and dialect → replacements index
	replace     [][]rune
	pinyin      *pinyinTable
}

var defaultNormalizer = sync.OnceValue(func() *normalizer {
	n := &normalizer{pinyin: newPinyinTable()}
	if cc, err := opencc.New("t2s"); err == nil {
		n.t2s = cc
		n.traditional = traditionalRunes(cc)
	}
	for i, p := range wordFixes {
		n.words.add(p[0], int32(i))
		n.replace = append(n.replace, []rune(p[1]))
	}
	return n
})

// traditionalRunes finds the characters t2s changes, so that the slow
// phrase-aware conversion runs only on the few messages that have one.
// Checking every CJK character once takes a few milliseconds.
func traditionalRunes(cc *opencc.OpenCC) []uint64 {
	set := make([]uint64, 0x10000/64)
	for _, block := range [][2]rune{{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}} {
		for r := block[0]; r <= block[1]; r++ {
			if out, err := cc.Convert(string(r)); err == nil && out != string(r) {
				set[r/64] |= 1 << (r % 64)
			}
		}
	}
	return set
}

func (n *normalizer) isTraditional(r rune) bool {
	return r < 0x10000 && n.traditional != nil && n.traditional[r/64]&(1<<(r%64)) != 0
}

func (n *normalizer) normalize(text string) string {
	rs, trad := n.clean(text)
	if trad {
		if out, err := n.t2s.Convert(string(rs)); err == nil {
			rs = []rune(zhuoFixes.Replace(out))
		}
	}
	rs = joinSpacedOut(rs)
	rs = n.pinyin.replace(rs)
	return string(n.fixWords(rs))
}

// clean does the rune-by-rune steps: invisible characters and emoji out,
// width folded, spaces and punctuation runs collapsed. It reports whether
// a traditional character occurs.
func (n *normalizer) clean(text string) ([]rune, bool) {
	out := make([]rune, 0, len(text)/2)
	trad := false
	var last rune = ' ' // leading spaces go
	for _, r := range text {
		if r >= 0x4E00 && r <= 0x9FFF { // the common characters: only t2s may touch them
			trad = trad || n.isTraditional(r)
			out = append(out, r)
			last = r
			continue
		}
		r = foldWidth(r)
		switch {
		case r == '℃':
			r = '度'
		case invisible(r):
			continue
		case isEmoji(r) || unicode.IsSpace(r) || unicode.IsControl(r):
			r = ' '
		}
		if r == last && (r == ' ' || collapsible(r)) {
			continue
		}
		if last == ' ' && r == ' ' {
			continue
		}
		if collapsible(r) && collapsible(last) {
			continue // ？！？ keeps its first mark
		}
		trad = trad || n.isTraditional(r)
		out = append(out, r)
		last = r
	}
	for len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return out, trad
}

// foldWidth maps full-width ASCII to ASCII and the half-width CJK marks to
// their usual forms.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	case r == 0xFF61:
		return '。'
	case r == 0xFF64:
		return '、'
	}
	return r
}

// invisible reports characters that show nothing: zero-width spaces and
// joiners, direction marks, the BOM, soft hyphens, variation selectors,
// combining keycaps and emoji tags.
func invisible(r rune) bool {
	switch {
	case r < 0xAD, r > 0x3000 && r < 0xFE00:
		return false
	case r >= 0x200B && r <= 0x200F, r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x00AD,
		r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0000 && r <= 0xE01EF, r == 0x20E3, r == 0x034F:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// isEmoji reports pictographs, dingbats, flags and skin tones: they carry
// feeling, not facts, and would otherwise glue words together or split them.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x2B00 && r <= 0x2BFF,
		r >= 0x2190 && r <= 0x21FF, r >= 0x2300 && r <= 0x23FF, r >= 0x25A0 && r <= 0x25FF:
		return true
	}
	return false
}

// collapsible are the marks whose runs mean no more than one of them.
func collapsible(r rune) bool {
	switch r {
	case '!', '?', '。', '.', ',', '，', '、', '~', '～', '…', ';', '；':
		return true
	}
	return false
}

// zhuoFixes: t2s leaves 著 alone (it is also the simplified 著, "notable"),
// but in a resident's message 著火 is 着火.
var zhuoFixes = strings.NewReplacer("著火", "着火", "著了", "着了", "燒著", "烧着", "烧著", "烧着", "點著", "点着",
	"点著", "点着", "著起來", "着起来", "著起来", "着起来", "著急", "着急", "睡著", "睡着", "著涼", "着凉", "著凉", "着凉", "冻著", "冻着", "著地", "着地")

// joinSpacedOut joins characters typed one by one with spaces between them
// ("停 电 了 快 来"): when most space-separated pieces are a single Chinese
// character, the spaces are not clause breaks but the way it was typed.
func joinSpacedOut(rs []rune) []rune {
	pieces, single := 0, 0
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] != ' ' {
			j++
		}
		if j > i {
			pieces++
			if j-i == 1 && unicode.Is(unicode.Han, rs[i]) {
				single++
			}
		}
		i = j + 1
	}
	if pieces < 3 || single*10 < pieces*6 {
		return rs
	}
	out := rs[:0:0]
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && unicode.Is(unicode.Han, rs[i-1]) && unicode.Is(unicode.Han, rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// fixWords replaces homophones and dialect words, longest first.
func (n *normalizer) fixWords(rs []rune) []rune {
	var out []rune
	for i := 0; i < len(rs); {
		v, l := n.words.longestAt(rs, i)
		if l == 0 {
			if out != nil {
				out = append(out, rs[i])
			}
			i++
			continue
		}
		if out == nil {
			out = append(make([]rune, 0, len(rs)+4), rs[:i]...)
		}
		out = append(out, n.replace[v]...)
		i += l
	}
	if out == nil {
		return rs
	}
	return out
}
