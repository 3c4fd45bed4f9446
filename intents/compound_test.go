package intents

import (
	"slices"
	"testing"
)

// compoundsOf names the compounds that hold for text, without per-topic
// features.
func compoundsOf(text string) []string {
	var s scratch
	p := defaultExtractor().parse(text, 1<<1, &s)
	var out []string
	for _, x := range p.extras {
		if i := int(x) - len(lexicon); i >= 0 && i < len(compounds) {
			out = append(out, compounds[i].name)
		}
	}
	return out
}

func TestCompounds(t *testing.T) {
	tests := []struct {
		text         string
		want, absent string // a compound that must hold, one that must not; "" = none
	}{
		{"村卫生室的大夫态度特别好", "praise_only", "ask_only"},
		{"路灯修好了 谢谢", "praise_resolved", "praise_then_fault"},
		{"谢谢师傅修好了热泵，不过这两天又不热了", "praise_then_fault", "praise_only"},
		{"电表是不是有毛病 能给查查吗 谢谢", "ask_fault", "praise_only"},
		{"建议在村口安几个长椅", "suggest_only", ""},
		{"建议赶紧把坏了的路灯修修", "", "suggest_only"},
		{"低保怎么申请", "ask_only", "ask_fault"},
	}
	for _, tt := range tests {
		got := compoundsOf(tt.text)
		if tt.want != "" && !slices.Contains(got, tt.want) {
			t.Errorf("%q: compounds %v, want %s", tt.text, got, tt.want)
		}
		if tt.absent != "" && slices.Contains(got, tt.absent) {
			t.Errorf("%q: compounds %v, want no %s", tt.text, got, tt.absent)
		}
	}
}

// TestCompoundsPerTopic checks that a per-topic compound adds one feature
// for each topic group present and nothing for the others.
func TestCompoundsPerTopic(t *testing.T) {
	var s scratch
	p := defaultExtractor().parse("家庭医生人特别好", 1<<1, &s)
	base := len(lexicon) + len(compounds) // praise_only is the first per-topic compound
	var topics []int
	for _, x := range p.extras {
		if i := int(x) - base; i >= 0 && i < len(topicGroups()) {
			topics = append(topics, topicGroups()[i])
		}
	}
	if len(topics) != 1 || lexicon[topics[0]].name != "health" {
		t.Errorf("praise_only topics = %v, want health alone", topics)
	}
}
