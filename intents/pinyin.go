package intents

import (
	"strings"
	"unicode"
)

// Some residents type pinyin when they cannot find the characters or have
// an English keyboard: "ting shui 一整天了", "tingdian", "nuanqi bu re".
// A run of Latin letters that segments into pinyin syllables is matched
// against the pinyin of the frequent problem words, longest first, and a
// match becomes the word. A run that is not pinyin (wifi, ok) is left as it
// is, and so is pinyin for anything not in the table.
var pinyinWords = [][2]string{
	{"停电", "tingdian"}, {"停水", "tingshui"}, {"停暖", "tingnuan"}, {"没电", "meidian"}, {"没水", "meishui"},
	{"断电", "duandian"}, {"断水", "duanshui"}, {"来电", "laidian"}, {"来水", "laishui"}, {"暖气", "nuanqi"},
	{"暖气片", "nuanqipian"}, {"供暖", "gongnuan"}, {"不热", "bure"}, {"不亮", "buliang"}, {"坏了", "huaile"},
	{"跳闸", "tiaozha"}, {"电线", "dianxian"}, {"电线杆", "dianxiangan"}, {"漏电", "loudian"}, {"触电", "chudian"},
	{"电表", "dianbiao"}, {"电费", "dianfei"}, {"变压器", "bianyaqi"}, {"路灯", "ludeng"}, {"垃圾", "laji"},
	{"漏水", "loushui"}, {"水管", "shuiguan"}, {"自来水", "zilaishui"}, {"下水道", "xiashuidao"}, {"堵了", "dule"},
	{"积水", "jishui"}, {"淹了", "yanle"}, {"煤气", "meiqi"}, {"燃气", "ranqi"}, {"天然气", "tianranqi"},
	{"煤气味", "meiqiwei"}, {"漏气", "louqi"}, {"着火", "zhaohuo"}, {"着火了", "zhaohuole"}, {"起火", "qihuo"},
	{"冒烟", "maoyan"}, {"火灾", "huozai"}, {"摔倒", "shuaidao"}, {"摔倒了", "shuaidaole"}, {"晕倒", "yundao"},
	{"昏迷", "hunmi"}, {"打架", "dajia"}, {"打起来了", "daqilaile"}, {"救命", "jiuming"}, {"走丢", "zoudiu"},
	{"落水", "luoshui"}, {"塌了", "tale"}, {"噪音", "zaoyin"}, {"扬尘", "yangchen"}, {"违建", "weijian"},
	{"宅基地", "zhaijidi"}, {"低保", "dibao"}, {"养老金", "yanglaojin"}, {"医保", "yibao"}, {"疫苗", "yimiao"},
	{"热泵", "rebeng"}, {"空气能", "kongqineng"}, {"补贴", "butie"}, {"物业", "wuye"}, {"井盖", "jinggai"},
	{"没人管", "meirenguan"}, {"怎么办", "zenmeban"}, {"一整天", "yizhengtian"}, {"好几天", "haojitian"},
	{"水费", "shuifei"}, {"分红", "fenhong"}, {"流转", "liuzhuan"}, {"家庭医生", "jiatingyisheng"}, {"修路", "xiulu"},
	{"谢谢", "xiexie"}, {"你好", "nihao"}, {"幼儿园", "youeryuan"}, {"学校", "xuexiao"}, {"上学", "shangxue"},
	{"报名", "baoming"}, {"卫生室", "weishengshi"}, {"大夫", "daifu"}, {"医生", "yisheng"}, {"报销", "baoxiao"}, {"不出水", "buchushui"}, {"没有水", "meiyoushui"}, {"没有电", "meiyoudian"},
}

// pinyinTable indexes pinyinWords by their letters.
type pinyinTable struct {
	words  map[string]string // letters → characters
	maxLen int
}

func newPinyinTable() *pinyinTable {
	t := &pinyinTable{words: map[string]string{}}
	for _, w := range pinyinWords {
		t.words[w[1]] = w[0]
		t.maxLen = max(t.maxLen, len(w[1]))
	}
	return t
}

// replace rewrites the pinyin runs of rs. A run is letters and the spaces
// between them; tone marks are dropped first.
func (t *pinyinTable) replace(rs []rune) []rune {
	if !hasLatin(rs) {
		return rs
	}
	var out []rune
	for i := 0; i < len(rs); {
		if !isLatin(rs[i]) {
			out = append(out, rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && (isLatin(rs[j]) || rs[j] == ' ' && j+1 < len(rs) && isLatin(rs[j+1])) {
			j++
		}
		out = append(out, t.convert(rs[i:j])...)
		i = j
	}
	return out
}

func hasLatin(rs []rune) bool {
	for _, r := range rs {
		if isLatin(r) {
			return true
		}
	}
	return false
}

func isLatin(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || toneless(r) != r
}

// convert turns one run of letters and spaces into characters where the
// table knows them. Words of the table must start and end on syllable
// boundaries: "dule" in "dulenihao" is found, "ian" inside "dian" is not.
func (t *pinyinTable) convert(run []rune) []rune {
	var chunks []string // the run's space-separated pieces, lower case, tones dropped
	for _, f := range strings.Fields(string(run)) {
		chunks = append(chunks, strings.Map(func(r rune) rune { return unicode.ToLower(toneless(r)) }, f))
	}
	// Each chunk must be pinyin throughout, or the run is left alone.
	var bounds []int // syllable boundaries in the joined letters
	joined := ""
	for _, c := range chunks {
		cuts, ok := syllables(c)
		if !ok {
			return run
		}
		for _, cut := range cuts {
			bounds = append(bounds, len(joined)+cut)
		}
		joined += c
	}
	isBound := map[int]bool{0: true}
	for _, b := range bounds {
		isBound[b] = true
	}
	var out []rune
	found := false
	for i := 0; i < len(joined); {
		hit := 0
		for l := min(t.maxLen, len(joined)-i); l > 0; l-- {
			if _, ok := t.words[joined[i:i+l]]; ok && isBound[i+l] {
				hit = l
				break
			}
		}
		if hit == 0 {
			// Keep the syllable as typed and move on to the next boundary.
			j := i + 1
			for !isBound[j] {
				j++
			}
			if len(out) > 0 && out[len(out)-1] != ' ' && !unicode.Is(unicode.Han, out[len(out)-1]) {
				out = append(out, ' ')
			}
			out = append(out, []rune(joined[i:j])...)
			i = j
			continue
		}
		if len(out) > 0 && out[len(out)-1] != ' ' && !unicode.Is(unicode.Han, out[len(out)-1]) {
			out = append(out, ' ')
		}
		out = append(out, []rune(t.words[joined[i:i+hit]])...)
		found = true
		i += hit
	}
	if !found {
		return run
	}
	return out
}

// syllables splits letters into pinyin syllables, longest first with
// backtracking, returning the end offset of each; ok is false when the
// letters are not pinyin.
func syllables(s string) ([]int, bool) {
	var cuts []int
	var walk func(i int) bool
	walk = func(i int) bool {
		if i == len(s) {
			return true
		}
		for l := min(6, len(s)-i); l > 0; l-- {
			if isSyllable(s[i : i+l]) {
				cuts = append(cuts, i+l)
				if walk(i + l) {
					return true
				}
				cuts = cuts[:len(cuts)-1]
			}
		}
		return false
	}
	if s == "" || !walk(0) {
		return nil, false
	}
	return cuts, true
}

var (
	pinyinInitials = []string{"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w", ""}
	pinyinFinals   = map[string]bool{}
)

func init() {
	for _, f := range strings.Fields("a o e i u v ai ei ui ao ou iu ie ve ue er an en in un vn ang eng ing ong ia iao ian iang iong ua uo uai uan uang") {
		pinyinFinals[f] = true
	}
}

// isSyllable accepts an initial followed by a final. It admits a few
// combinations Mandarin lacks, which costs nothing here: a word must still
// be in the table to be replaced.
func isSyllable(s string) bool {
	for _, ini := range pinyinInitials {
		if rest, ok := strings.CutPrefix(s, ini); ok && pinyinFinals[rest] {
			return true
		}
	}
	return false
}

// toneless maps a vowel with a tone mark (or ü) to the plain letter.
func toneless(r rune) rune {
	switch r {
	case 'ā', 'á', 'ǎ', 'à':
		return 'a'
	case 'ē', 'é', 'ě', 'è':
		return 'e'
	case 'ī', 'í', 'ǐ', 'ì':
		return 'i'
	case 'ō', 'ó', 'ǒ', 'ò':
		return 'o'
	case 'ū', 'ú', 'ǔ', 'ù':
		return 'u'
	case 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
		return 'v'
	}
	return r
}
