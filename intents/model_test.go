package intents

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"slices"
	"strings"
	"testing"

	"hotline/taxonomy"
)

// foreignExamples is a small synthetic data set with a label set that is
// not the township's: three topics, each with its own vocabulary.
func foreignExamples() []Example {
	topics := []struct {
		label string
		words []string
	}{
		{"交通", []string{"公交车", "地铁站", "红绿灯", "堵车", "停车位", "出租车"}},
		{"教育", []string{"学校", "老师", "学生", "幼儿园", "课本", "考试"}},
		{"医疗", []string{"医院", "医生", "挂号", "药费", "护士", "住院"}},
	}
	var out []Example
	for _, tp := range topics {
		for i := range 20 {
			a, b := tp.words[i%len(tp.words)], tp.words[(i*5+1)%len(tp.words)]
			out = append(out, Example{
				ID:    fmt.Sprintf("%s-%d", tp.label, i),
				Text:  fmt.Sprintf("关于%s和%s的问题，第%d次反映", a, b, i),
				Label: tp.label,
			})
		}
	}
	return out
}

func TestTrainSaveLoadForeignLabels(t *testing.T) {
	ex := foreignExamples()
	m, err := Train(ex, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Labels(), []string{"交通", "医疗", "教育"}; !slices.Equal(got, want) {
		t.Errorf("labels = %v, want %v", got, want)
	}
	if m.HasUrgency() {
		t.Error("model learnt urgency from data without urgencies")
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := buf.Bytes()
	m2, err := Load(bytes.NewReader(saved))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"地铁站太挤了", "幼儿园老师", "医院挂号难", "你好", ""} {
		p1, p2 := m.Predict(text), m2.Predict(text)
		if p1.Label != p2.Label || p1.Confidence != p2.Confidence {
			t.Errorf("%q: before save %s %.4f, after load %s %.4f", text, p1.Label, p1.Confidence, p2.Label, p2.Confidence)
		}
	}
	if got := m.Predict("地铁站太挤了").Label; got != "交通" {
		t.Errorf("Predict(地铁站太挤了) = %s", got)
	}
	// The same data and options give the same bytes: training is
	// deterministic.
	m3, _ := Train(ex, TrainOptions{})
	var buf3 bytes.Buffer
	m3.Save(&buf3)
	if !bytes.Equal(saved, buf3.Bytes()) {
		t.Error("training twice gave different models")
	}
	// A foreign model's category is its label as is; urgency comes from
	// cues.
	c := NewEmbedded(m2, nil)
	r, err := c.Classify(context.Background(), Input{Text: "医院着火了"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Category != "医疗" || r.Urgency != taxonomy.Urgent {
		t.Errorf("foreign classify = %+v", r)
	}
	r, _ = c.Classify(context.Background(), Input{Text: "学校的课本"})
	if r.Category != "教育" || r.Urgency != taxonomy.Normal {
		t.Errorf("foreign classify = %+v", r)
	}
}

func TestLoadRejectsBadInput(t *testing.T) {
	m, err := Train(foreignExamples(), TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	m.Save(&buf)
	good := buf.Bytes()
	tests := map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("not a model at all"),
		"truncated": good[:len(good)/2],
	}
	for name, b := range tests {
		if _, err := Load(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: Load succeeded", name)
		}
	}
}

func TestTrainRejectsBadInput(t *testing.T) {
	one := []Example{{ID: "1", Text: "a", Label: "x"}, {ID: "2", Text: "b", Label: "x"}}
	tests := map[string]struct {
		ex   []Example
		opts TrainOptions
	}{
		"no examples":       {nil, TrainOptions{}},
		"one label":         {one, TrainOptions{}},
		"only empty texts":  {[]Example{{Text: " ", Label: "x"}, {Text: "", Label: "y"}}, TrainOptions{}},
		"bad n-gram length": {foreignExamples(), TrainOptions{NGrams: []int{0}}},
		"too long n-gram":   {foreignExamples(), TrainOptions{NGrams: []int{9}}},
	}
	for name, tt := range tests {
		if _, err := Train(tt.ex, tt.opts); err == nil {
			t.Errorf("%s: Train succeeded", name)
		}
	}
}

func TestTrainLearnsUrgency(t *testing.T) {
	var ex []Example
	for i := range 30 {
		ex = append(ex,
			Example{ID: fmt.Sprint("a", i), Text: fmt.Sprintf("路灯坏了%d天", i), Label: "roads", Urgency: "normal"},
			Example{ID: fmt.Sprint("b", i), Text: fmt.Sprintf("请问低保第%d条怎么办", i), Label: "consultation", Urgency: "low"},
			Example{ID: fmt.Sprint("c", i), Text: fmt.Sprintf("水漫进来了快来人%d", i), Label: "water", Urgency: "urgent"},
		)
	}
	m, err := Train(ex, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.HasUrgency() {
		t.Fatal("no urgency layer")
	}
	if p := m.Predict("水漫进来了"); p.PUrgent < 0.5 {
		t.Errorf("P(urgent | 水漫进来了) = %.2f", p.PUrgent)
	}
	// One example without an urgency turns the urgency layer off.
	ex = append(ex, Example{ID: "x", Text: "路灯", Label: "roads"})
	if m, _ := Train(ex, TrainOptions{}); m.HasUrgency() {
		t.Error("urgency layer trained with a missing urgency")
	}
}

func TestCrossValidate(t *testing.T) {
	ex := foreignExamples()
	r, err := CrossValidate(context.Background(), ex, 5, TrainOptions{CalibrationShare: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r.N != len(ex) || len(r.FoldAccuracy) != 5 {
		t.Errorf("report shape: %+v", r)
	}
	if r.Accuracy < 0.9 || r.MacroF1 < 0.9 {
		t.Errorf("accuracy %.3f macro-F1 %.3f on separable data", r.Accuracy, r.MacroF1)
	}
	again, _ := CrossValidate(context.Background(), ex, 5, TrainOptions{CalibrationShare: -1})
	if again.Accuracy != r.Accuracy || again.MacroF1 != r.MacroF1 {
		t.Error("cross-validation is not deterministic")
	}
	var out bytes.Buffer
	r.Write(&out)
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	want := fmt.Sprintf("accuracy=%.3f macro_f1=%.3f", r.Accuracy, r.MacroF1)
	if last := string(lines[len(lines)-1]); last != want {
		t.Errorf("last line %q, want %q", last, want)
	}

	for name, tt := range map[string]struct {
		ex    []Example
		folds int
	}{
		"one fold":        {ex, 1},
		"one label":       {ex[:20], 5},
		"too few to fold": {[]Example{ex[0], ex[25], ex[50]}, 5},
	} {
		if _, err := CrossValidate(context.Background(), tt.ex, tt.folds, TrainOptions{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CrossValidate(ctx, ex, 5, TrainOptions{}); err == nil {
		t.Error("cancelled: no error")
	}
}

// A model saved before normalisation reads other features: Load asks for
// it to be trained again rather than misclassifying quietly.
func TestLoadOlderModel(t *testing.T) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&modelFile{Magic: "hotline-intents-model-v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(&buf); err == nil || !strings.Contains(err.Error(), "train it again") {
		t.Errorf("Load of a v1 model: %v", err)
	}
}
