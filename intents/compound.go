package intents

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"hotline/taxonomy"
)

// A compound is a model feature present when some lexicon groups occur
// together and others do not. A linear model weighs each group on its own,
// so "praise" and "a fault" cannot tell it what the taxonomy says about
// them together: praise alone is feedback, praise with a new fault is the
// fault's category, a question about a fault is the fault but a question
// with none is consultation. A compound gives that combination a weight of
// its own.
//
// Each entry of all is one or more group names joined by "|", of which at
// least one must occur; every entry must hold, and no group of none may
// occur.
//
// A compound marked perTopic also gives one feature per topic group present
// with it: praise of the family doctor must outweigh everything that says
// "health", and a feature of praise-about-health can learn exactly that
// without making praise about roads any less about feedback.
var compounds = []struct {
	name     string
	all      []string
	none     []string
	perTopic bool
}{
	{"praise_only", []string{"praise"}, []string{"fault", "contrast", "question", "consultation"}, true},
	{"praise_resolved", []string{"praise", "resolved"}, []string{"contrast"}, false},
	{"praise_then_fault", []string{"praise|resolved", "contrast", "fault"}, nil, false},
	{"suggest_only", []string{"suggest"}, []string{"fault"}, true},
	{"ask_only", []string{"question|consultation"}, []string{"fault", "praise"}, true},
	{"ask_fault", []string{"question|consultation", "fault"}, nil, false},
}

// topicGroups are the lexicon groups named after a topic category: every
// category but consultation, feedback and other, which say what kind of
// message it is rather than what it is about.
var topicGroups = sync.OnceValue(func() []int {
	var out []int
	for i, l := range lexicon {
		switch c := taxonomy.Category(l.name); {
		case !c.Valid(), c == taxonomy.Consultation, c == taxonomy.Feedback, c == taxonomy.Other:
		default:
			out = append(out, i)
		}
	}
	return out
})

// numCompoundFeatures is the number of features the compounds give: one
// each, and one per topic group for those marked perTopic.
func numCompoundFeatures() int {
	n := len(compounds)
	for _, c := range compounds {
		if c.perTopic {
			n += len(topicGroups())
		}
	}
	return n
}

// appendCompounds appends to extras the indices, from base on, of the
// compound features that hold for the groups present.
func appendCompounds(extras []int32, base int, cs []compoundMask, groups uint64) []int32 {
	topics := topicGroups()
	perTopic := base + len(cs)
	for i, c := range cs {
		ok := c.holds(groups)
		if ok {
			extras = append(extras, int32(base+i))
		}
		if !compounds[i].perTopic {
			continue
		}
		if ok {
			for j, g := range topics {
				if groups&(1<<g) != 0 {
					extras = append(extras, int32(perTopic+j))
				}
			}
		}
		perTopic += len(topics)
	}
	return extras
}

// compoundMask is a compound as bit masks over lexicon groups.
type compoundMask struct {
	all  []uint64 // each: at least one of these groups
	none uint64
}

// compoundMasks resolves the group names of compounds; a name that is not
// a lexicon group is a programming error.
func compoundMasks() []compoundMask {
	group := func(name string) uint64 {
		i := slices.IndexFunc(lexicon, func(l lexiconGroup) bool { return l.name == name })
		if i < 0 {
			panic(fmt.Sprintf("intents: compound names unknown lexicon group %q", name))
		}
		return 1 << i
	}
	out := make([]compoundMask, len(compounds))
	for i, c := range compounds {
		for _, alt := range c.all {
			var m uint64
			for _, name := range strings.Split(alt, "|") {
				m |= group(name)
			}
			out[i].all = append(out[i].all, m)
		}
		for _, name := range c.none {
			out[i].none |= group(name)
		}
	}
	return out
}

// holds reports whether the compound holds for the groups present.
func (c compoundMask) holds(groups uint64) bool {
	if groups&c.none != 0 {
		return false
	}
	for _, m := range c.all {
		if groups&m == 0 {
			return false
		}
	}
	return true
}
