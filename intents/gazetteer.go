package intents

import (
	"strings"

	"hotline/roster"
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
// names several, the first that is not merely the writer introducing
// themselves ("我是李家店的，我妈在王各庄…" is about 王各庄).
func (g *Gazetteer) Find(text string) (village string, ok bool) {
	return g.about(text, "")
}

// about picks the village a message concerns. A village other than the
// resident's own wins over the resident's, since naming another village is
// the reason to name one at all; self-introductions lose to any other
// mention.
func (g *Gazetteer) about(text, resident string) (string, bool) {
	return pickVillage(text, g.Mentions(text), resident)
}

// pickVillage applies about's preferences to mentions found in text.
func pickVillage(text string, ms []Mention, resident string) (string, bool) {
	if len(ms) == 0 {
		return "", false
	}
	best, bestScore := "", -1
	for _, m := range ms {
		score := 2
		if introduces(text[:m.Start]) {
			score = 0
		} else if m.Village == resident {
			score = 1
		}
		if score > bestScore {
			best, bestScore = m.Village, score
		}
	}
	return best, true
}

// introduces reports whether the text before a village name ends in a
// self-introduction such as 我是 or 我们是.
func introduces(before string) bool {
	before = strings.TrimRight(before, " ，,")
	for _, p := range []string{"我是", "我们是", "俺是", "咱是", "我家是", "我住", "我住在", "我家住", "我家住在", "家住", "家住在", "我们家住", "我们住在"} {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	return false
}
