package intents

import (
	"context"
	"strings"
	"testing"
)

func TestPerturbations(t *testing.T) {
	text := "停电了，路灯也不亮。"
	tests := []struct {
		fn      func(id, text string) (string, bool)
		changed bool
		check   func(string) bool
	}{
		{politeEnding, true, func(s string) bool {
			return strings.HasPrefix(strings.TrimPrefix(s, "您好，"), "停电了，路灯也不亮") && len(s) > len(text)
		}},
		{toTraditional, true, func(s string) bool { return strings.Contains(s, "停電了") && strings.Contains(s, "路燈") }},
		{noPunctuation, true, func(s string) bool { return s == "停电了路灯也不亮" }},
		{withHomophones, true, func(s string) bool { return strings.Contains(s, "停点") && strings.Contains(s, "路等") }},
		{withPinyin, true, func(s string) bool { return strings.Contains(s, "tingdian") }},
		{withAnger, true, func(s string) bool { return strings.Contains(s, "!") || strings.Contains(s, "！") }},
	}
	for i, tt := range tests {
		got, changed := tt.fn("id-1", text)
		if changed != tt.changed || !tt.check(got) {
			t.Errorf("%s: %q, %v", perturbations[i].name, got, changed)
		}
		if again, _ := tt.fn("id-1", text); again != got {
			t.Errorf("%s is not deterministic", perturbations[i].name)
		}
	}
	if _, changed := withPinyin("", "邻居吵架"); changed {
		t.Error("pinyin changed a message with none of its words")
	}
}

// Robustness reports the clean row first and one row per perturbation;
// a classifier that reads the normalised text is unmoved by all of them.
func TestRobustness(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	c := NewEmbedded(m, demoGazetteer(t))
	ex := []Example{
		{ID: "1", Text: "停电了，冰箱里的东西都要坏了", Label: "power", Urgency: "normal"},
		{ID: "2", Text: "家里有煤气味，很大", Label: "safety", Urgency: "urgent"},
		{ID: "3", Text: "垃圾三天没人拉了", Label: "sanitation", Urgency: "normal"},
		{ID: "4", Text: "请问低保怎么申请", Label: "consultation", Urgency: "low"},
	}
	rows, err := Robustness(context.Background(), c, ex)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(perturbations)+1 || rows[0].Name != "clean" {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		if r.MacroF1 != 1 || r.UrgentRecall != 1 || r.UrgencySupport != 4 {
			t.Errorf("%s: %+v", r.Name, r)
		}
	}
	var b strings.Builder
	if err := WriteRobustness(&b, rows); err != nil || !strings.Contains(b.String(), "no punctuation") {
		t.Errorf("WriteRobustness: %v\n%s", err, b.String())
	}
	// Without urgency labels the urgency columns say n/a.
	rows, _ = Robustness(context.Background(), fixed{}, nil)
	b.Reset()
	WriteRobustness(&b, rows)
	if !strings.Contains(b.String(), "n/a") {
		t.Errorf("no n/a without labels:\n%s", b.String())
	}
}
