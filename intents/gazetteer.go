package intents

import (
	"strings"
	"sync"

	"hotline/roster"
	"hotline/taxonomy"
)

// Gazetteer finds the villages of the roster in free text. It knows each
// village by its full name, its aliases and its name without the trailing
// 村 or 社区 (unless that short name would clash with another village, in
// which case a resident who writes it has not told us which one). At each
// position the longest known name wins, so 小马坊村 is not read as 马坊 and
// 东营子 is not cut short.
type Gazetteer struct {
	names []string       // full names, roster order
	exact map[string]int // every known form → index in names
	forms dict           // the same forms, for scanning text
}

// Mention is one village name found in a text; Start and End are byte
// offsets.
type Mention struct {
	Village    string // full roster name
	Start, End int
}

// NewGazetteer indexes the villages' names, aliases and short names.
func NewGazetteer(villages []roster.Village) *Gazetteer {
	g := &Gazetteer{exact: map[string]int{}}
	owners := map[string]map[int]bool{} // short form → villages it could mean
	for i, v := range villages {
		g.names = append(g.names, v.Name)
		g.exact[v.Name] = i
		for _, a := range v.Aliases {
			if a = strings.TrimSpace(a); a != "" {
				if _, taken := g.exact[a]; !taken {
					g.exact[a] = i
				}
			}
		}
	}
	for i, v := range villages {
		s, ok := shortName(v.Name)
		if !ok {
			continue
		}
		if owners[s] == nil {
			owners[s] = map[int]bool{}
		}
		owners[s][i] = true
	}
	for s, who := range owners {
		if len(who) > 1 {
			continue // two villages shorten to the same name
		}
		for i := range who {
			if j, taken := g.exact[s]; taken && j != i {
				continue // another village's name or alias
			}
			g.exact[s] = i
		}
	}
	for form, i := range g.exact {
		g.forms.add(form, int32(i))
	}
	return g
}

// shortName strips the trailing 村 or 社区, keeping at least two characters
// so that the stem is still a name and not a common syllable.
func shortName(name string) (string, bool) {
	for _, suffix := range []string{"社区", "村"} {
		if s, ok := strings.CutSuffix(name, suffix); ok && len([]rune(s)) >= 2 {
			return s, true
		}
	}
	return "", false
}

// Resolve turns a village written any known way into its full roster name.
func (g *Gazetteer) Resolve(name string) (string, bool) {
	if g == nil {
		return "", false
	}
	i, ok := g.exact[strings.TrimSpace(name)]
	if !ok {
		return "", false
	}
	return g.names[i], true
}

// Mentions lists the villages named in text, in order, scanning left to
// right and taking the longest name at each position.
func (g *Gazetteer) Mentions(text string) []Mention {
	if g == nil || len(g.names) == 0 {
		return nil
	}
	var out []Mention
	rs := []rune(text)
	offset := 0 // byte offset of rs[i]
	for i := 0; i < len(rs); {
		val, n := g.forms.longestAt(rs, i)
		if n == 0 {
			offset += len(string(rs[i]))
			i++
			continue
		}
		end := offset + len(string(rs[i:i+n]))
		out = append(out, Mention{Village: g.names[val], Start: offset, End: end})
		offset = end
		i += n
	}
	return out
}

// Find returns the village text is about: the one it names, or when it
// names several, the one where the problem is rather than where the writer
// lives, works or came from ("我是李家店的，我妈在王各庄…" is about 王各庄,
// "我在翟各庄村上班，马各庄村口路灯坏了" about 马各庄村). The text is normalised
// first, so traditional characters and full-width names are found too.
func (g *Gazetteer) Find(text string) (village string, ok bool) {
	return g.about(Normalize(text), "")
}

// about picks the village a normalised message concerns.
func (g *Gazetteer) about(text, resident string) (string, bool) {
	return pickVillage(text, g.Mentions(text), resident)
}

// pickVillage scores each mention and takes the best, the first on a tie.
// A mention in a clause that tells of a problem scores 2 more; the writer
// introducing themselves (我是…的, 我住…, 我在…上班) scores 0 before that, the
// resident's own village 1 and any other 2: naming another village is the
// reason to name one at all.
func pickVillage(text string, ms []Mention, resident string) (string, bool) {
	if len(ms) == 0 {
		return "", false
	}
	best, bestScore := "", -1
	for i, m := range ms {
		end := len(text)
		if i+1 < len(ms) {
			end = ms[i+1].Start
		}
		score := 2
		switch {
		case introduces(text[:m.Start]), selfPlace(text[:m.Start], clauseAfter(text[m.End:end])):
			score = 0
		case m.Village == resident:
			score = 1
		}
		if tellsProblem(clauseAfter(text[m.End:])) {
			score += 2
		}
		if score > bestScore {
			best, bestScore = m.Village, score
		}
	}
	return best, true
}

// clauseAfter is the text after a mention up to the end of its clause.
func clauseAfter(s string) string {
	if i := strings.IndexFunc(s, func(r rune) bool { return isClauseBreak(r) }); i >= 0 {
		return s[:i]
	}
	return s
}

func isClauseBreak(r rune) bool {
	return strings.ContainsRune(" ,.!?;，。！？；、\n", r)
}

// introduces reports whether the text before a village name ends in a
// self-introduction such as 我是 or 我们是.
func introduces(before string) bool {
	before = strings.TrimRight(before, " ，,")
	for _, p := range []string{"我是", "我们是", "我们", "咱们", "我家是", "我住", "我住在", "我家住", "我家住在", "家住", "家住在", "我们家住", "我们住在", "我家在", "我老家", "老家是", "老家在", "我从", "我们从"} {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	return false
}

// selfPlace reports a place the writer is at for their own reasons (我在X上班,
// 我去X串门) when that clause tells of no problem there.
func selfPlace(before, after string) bool {
	before = strings.TrimRight(before, " ，,")
	at := false
	for _, verb := range []string{"在", "去", "到", "刚从", "上"} {
		if rest, ok := strings.CutSuffix(before, verb); ok && endsWithWriter(rest) {
			at = true
			break
		}
	}
	if !at || tellsProblem(after) {
		return false
	}
	for _, w := range []string{"上班", "工作", "打工", "干活", "上学", "开店", "串门", "走亲戚", "看", "玩", "办事", "开会", "买", "住", "接", "送", "赶集", "取"} {
		if strings.Contains(after, w) {
			return true
		}
	}
	return false
}

// habitWords may stand between the writer and where they go: 我天天去,
// 我们平时在.
var habitWords = strings.Fields("天天 每天 每天都 平时 平常 白天 晚上 早上 经常 常常 常 老 一直 现在 今天 昨天 刚才 刚 也 都 还 就 一般")

// endsWithWriter reports whether s ends in 我 or 我们, perhaps followed by
// words of habit or time.
func endsWithWriter(s string) bool {
	for range 3 {
		if strings.HasSuffix(s, "我") || strings.HasSuffix(s, "我们") {
			return true
		}
		cut := false
		for _, w := range habitWords {
			if rest, ok := strings.CutSuffix(s, w); ok {
				s, cut = rest, true
				break
			}
		}
		if !cut {
			return false
		}
	}
	return false
}

// tellsProblem reports whether a clause names a topic or a fault: a
// lexicon word of a topic category or of the fault group.
func tellsProblem(clause string) bool {
	if clause == "" {
		return false
	}
	found := false
	problem := problemGroups()
	defaultExtractor().lex.each([]rune(clause), func(_, _ int, grp int32) {
		found = found || problem&(1<<grp) != 0
	})
	return found
}

// problemGroups is the mask of the lexicon groups that name a problem:
// the topics with their faults, but not schooling or companies, whose
// words (上学, 公司) say why someone is somewhere as often as what is wrong.
var problemGroups = sync.OnceValue(func() uint64 {
	var m uint64
	for _, g := range topicGroups() {
		switch taxonomy.Category(lexicon[g].name) {
		case taxonomy.CultureEdu, taxonomy.Enterprise:
			continue
		}
		m |= 1 << g
	}
	for i, l := range lexicon {
		if l.name == "fault" {
			m |= 1 << i
		}
	}
	return m
})
