package intents

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Residents open with a greeting and close with thanks ("……，谢谢啊，辛苦了",
// "麻烦你们了", "您好，"): manners, not content. Left in, they pull a report of
// sparks or a fight towards praise. stripCourtesy cuts greetings from the
// start and thanks from the end of a normalised text, as long as something
// with content is left: a message that is only thanks stays as it is, and
// is feedback.

// courtesyEnd is a closing cut from the end of a message. A bounded one
// (辛苦了, 麻烦了) is cut only after a break: "手续太麻烦了" is a complaint.
type courtesyEnd struct {
	text    string
	bounded bool
}

// courtesyEnds are the closings, longest first so that 非常感谢 goes whole;
// courtesyStarts the greetings cut from the start. Each may be followed by
// a particle.
var courtesyEnds = sync.OnceValue(func() []courtesyEnd {
	var out []courtesyEnd
	whom := []string{"", "了", "啦", "你们", "您", "您们", "领导", "各位", "大家", "政府", "书记", "主任", "工作人员", "同志", "师傅", "你",
		"各位领导", "你们了", "您了", "大家了", "各位了", "领导了", "你们啦"}
	for _, t := range strings.Fields("谢谢 多谢 感谢 非常感谢 十分感谢 太感谢 万分感谢 感谢感谢 谢谢谢谢 感激不尽") {
		for _, w := range whom {
			out = append(out, courtesyEnd{t + w, false})
		}
	}
	for _, t := range strings.Fields("辛苦 辛苦辛苦 麻烦 拜托 劳驾 有劳 劳烦 添麻烦 给你们添麻烦") {
		for i, w := range whom {
			out = append(out, courtesyEnd{t + w, i < 3})
		}
	}
	for _, t := range strings.Fields("好人一生平安 祝你们工作顺利 祝工作顺利 祝好 盼复 盼回复 望回复 请回复 期待回复 望尽快回复 谢谢关注 感谢关注 此致敬礼 此致 敬礼") {
		out = append(out, courtesyEnd{t, true})
	}
	slices.SortStableFunc(out, func(a, b courtesyEnd) int { return len(b.text) - len(a.text) })
	return out
})

var courtesyStarts = sync.OnceValue(func() []string {
	out := strings.Fields("您好 你好 领导好 领导您好 领导你好 书记好 书记您好 主任好 主任您好 同志你好 同志您好 工作人员你好 工作人员您好 师傅你好 大家好 早上好 上午好 中午好 下午好 晚上好 打扰了 打扰一下 打扰您了 不好意思打扰了 不好意思打扰一下 哈喽 嗨 喂 在吗 在不在 有人吗")
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
})

// courtesyParticles may trail a courtesy word: 谢谢啊, 辛苦啦.
const courtesyParticles = "啊呀哈哦啦嗷哟呐哒嘞"

// stripCourtesy removes greetings at the start and thanks at the end of
// text (already normalised).
func stripCourtesy(text string) string {
	if !mayHaveCourtesy(text) {
		return text
	}
	s := text
	for changed := true; changed; {
		changed = false
		t := strings.TrimRightFunc(s, isCourtesyTrim)
		for _, p := range courtesyEnds() {
			rest, ok := strings.CutSuffix(t, p.text)
			if !ok || p.bounded && rest != "" && !endsWithBreak(rest) {
				continue
			}
			s, changed = rest, true
			break
		}
	}
	for changed := true; changed; {
		changed = false
		t := strings.TrimLeftFunc(s, isSeparatorRune)
		for _, p := range courtesyStarts() {
			if rest, ok := strings.CutPrefix(t, p); ok {
				s, changed = strings.TrimLeftFunc(rest, func(r rune) bool {
					return isSeparatorRune(r) || strings.ContainsRune(courtesyParticles, r)
				}), true
				break
			}
		}
	}
	s = strings.TrimFunc(s, isSeparatorRune)
	if s == text || !hasHanOrDigits(s, 2) || acknowledgements[s] || thanksForDone(s) {
		return text
	}
	return s
}

// acknowledgements are replies that, with the thanks, are the whole
// message: "好的，谢谢您" is thanks, not "好的".
var acknowledgements = map[string]bool{"好的": true, "好嘞": true, "好了": true, "收到": true, "知道了": true, "明白了": true,
	"可以": true, "行": true, "行了": true, "嗯嗯": true, "好吧": true, "没事了": true, "不用了": true}

// doneWords say that something was put right. Thanks after them are
// thanks for it, which makes the message praise: "水管子换完了 谢谢".
var doneWords = strings.Fields("修好 弄好 整好 换好 换完 修完 弄完 装好 装上了 解决了 解决好 来电了 来水了 恢复了 清走了 拉走了 逮走了 抓走了 处理了 处理好 处理完 干净了 亮了 热乎了 热了 到账了 办下来 办好了 找着了 找到了 通了 调解完 调解好 和好了 送了 当天 及时")

// helpWords tell of help given ("村里派人送来了 谢谢") or asked for ("麻烦派人来看看
// 谢谢"): they make thanks praise only in a message that asks for nothing.
var helpWords = strings.Fields("送来 给送 帮着 帮我们 帮忙 派人")

// requestWords ask for something to be done.
var requestWords = strings.Fields("麻烦 请 能不能 能否 可不可以 可否 尽快 赶紧 抓紧 快点 看看 看一下 给修 修修 催 管管 管一管")

// contrastWords bring a new problem after thanks: 不过, 但是.
var contrastWords = strings.Fields("不过 但是 可是 只是 就是 还是 又 没修 没来 没人")

// thanksForDone reports whether the message before its thanks tells of
// something done and nothing still wrong.
func thanksForDone(s string) bool {
	if !containsAny(s, doneWords) && (!containsAny(s, helpWords) || containsAny(s, requestWords)) {
		return false
	}
	return !containsAny(s, contrastWords)
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// courtesyEdges are the runes courtesy phrases end and start with: a
// message whose last and first letters are neither has none to strip,
// which is most of them.
var courtesyEdges = sync.OnceValue(func() (edges [2]map[rune]bool) {
	edges[0], edges[1] = map[rune]bool{}, map[rune]bool{}
	for _, p := range courtesyEnds() {
		r, _ := utf8.DecodeLastRuneInString(p.text)
		edges[0][r] = true
	}
	for _, p := range courtesyStarts() {
		r, _ := utf8.DecodeRuneInString(p)
		edges[1][r] = true
	}
	return edges
})

func mayHaveCourtesy(text string) bool {
	e := courtesyEdges()
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(text, isCourtesyTrim))
	first, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(text, isSeparatorRune))
	return e[0][last] || e[1][first]
}

// endsWithBreak reports whether s ends in a separator.
func endsWithBreak(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isSeparatorRune(r)
}

// isCourtesyTrim is what may stand between a closing and the end.
func isCourtesyTrim(r rune) bool {
	return isSeparatorRune(r) || strings.ContainsRune(courtesyParticles, r)
}

func isSeparatorRune(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// hasHanOrDigits reports whether s has at least n Chinese characters,
// letters or digits.
func hasHanOrDigits(s string, n int) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			n--
			if n <= 0 {
				return true
			}
		}
	}
	return false
}
