package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// syntheticCSV is a small foreign-label data set with a title and a
// detail column, each label with its own vocabulary.
func syntheticCSV() string {
	var b strings.Builder
	b.WriteString("id,title,detail,label\n")
	topics := map[string][]string{
		"交通": {"公交车", "地铁站", "红绿灯", "堵车", "停车位"},
		"教育": {"学校", "老师", "学生", "幼儿园", "考试"},
		"医疗": {"医院", "医生", "挂号", "药费", "住院"},
	}
	for _, label := range []string{"交通", "教育", "医疗"} {
		ws := topics[label]
		for i := range 15 {
			fmt.Fprintf(&b, "%s%d,关于%s,%s和%s的问题第%d次,%s\n", label, i, ws[i%5], ws[(i+2)%5], ws[(i+3)%5], i, label)
		}
	}
	return b.String()
}

func TestIntentsTrainClassifyEval(t *testing.T) {
	dir := t.TempDir()
	data := write(t, dir, "data.csv", syntheticCSV())
	model := filepath.Join(dir, "m.model")
	out, errOut, err := runIO(t, runIntents, "", "train", "--data", data, "--text", "title,detail", "--label", "label", "--out", model)
	if err != nil {
		t.Fatalf("train: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "trained on 45 examples: 3 labels") {
		t.Errorf("train output %q", out)
	}

	villages := write(t, dir, "villages.csv", testVillages)
	out, errOut, err = runIO(t, runClassify, `{"text":"地铁站人太多","resident_village":"李店"}`+"\n", "--villages", villages, "--model", model)
	if err != nil {
		t.Fatalf("classify --model: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, `"category":"交通"`) || !strings.Contains(out, `"village":"李家店村"`) {
		t.Errorf("classify --model: %s", out)
	}

	labelled := write(t, dir, "eval.jsonl",
		`{"id":"1","text":"医院挂号难","category":"医疗","urgency":"normal","village":"李家店村","resident_village":"李店"}`+"\n"+
			`{"id":"2","text":"学校老师不够","category":"教育","urgency":"normal","village":"王各庄村","resident_village":"翟庄"}`+"\n"+
			`{"id":"3","text":"医院着火了","category":"医疗","urgency":"urgent","village":"翟各庄村","resident_village":"翟庄"}`+"\n")
	out, errOut, err = runIO(t, runIntents, "", "eval", "--data", labelled, "--villages", villages, "--model", model, "--mistakes")
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; last != "macro_f1=1.000 urgent_recall=1.000 village_acc=0.667" {
		t.Errorf("eval last line %q\n%s", last, out)
	}
}

func TestIntentsCV(t *testing.T) {
	data := write(t, t.TempDir(), "data.csv", syntheticCSV())
	out, errOut, err := runIO(t, runIntents, "", "cv", "--data", data, "--text", "title,detail", "--label", "label", "--folds", "3")
	if err != nil {
		t.Fatalf("cv: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	var acc, f1 float64
	if _, err := fmt.Sscanf(last, "accuracy=%f macro_f1=%f", &acc, &f1); err != nil {
		t.Fatalf("last line %q: %v", last, err)
	}
	if acc < 0.9 || f1 < 0.9 {
		t.Errorf("cv on separable data: %s", last)
	}
}

func TestIntentsBadUse(t *testing.T) {
	dir := t.TempDir()
	data := write(t, dir, "data.csv", syntheticCSV())
	tests := []struct {
		name  string
		args  []string
		usage bool
	}{
		{"no subcommand", nil, true},
		{"unknown subcommand", []string{"fit"}, true},
		{"train without data", []string{"train", "--out", filepath.Join(dir, "m")}, true},
		{"train without out", []string{"train", "--data", data}, true},
		{"train unknown flag", []string{"train", "--data", data, "--out", "m", "--epochs", "3"}, true},
		{"cv one fold", []string{"cv", "--data", data, "--text", "title", "--label", "label", "--folds", "1"}, true},
		{"cv stray argument", []string{"cv", "--data", data, "x"}, true},
		{"eval without data", []string{"eval"}, true},
		{"missing column", []string{"train", "--data", data, "--out", filepath.Join(dir, "m")}, false},
		{"missing file", []string{"cv", "--data", filepath.Join(dir, "none.csv")}, false},
		{"bad split", []string{"cv", "--data", data, "--text", "title", "--label", "label", "--split", "test"}, false},
		{"unwritable out", []string{"train", "--data", data, "--text", "title", "--label", "label", "--out", filepath.Join(dir, "no", "such", "dir", "m")}, false},
		{"one label", []string{"train", "--data", write(t, dir, "one.csv", "text,category\na,x\nb,x\n"), "--out", filepath.Join(dir, "m")}, false},
	}
	for _, tt := range tests {
		_, _, err := runIO(t, runIntents, "", tt.args...)
		switch {
		case err == nil:
			t.Errorf("%s: no error", tt.name)
		case tt.usage != errors.Is(err, errUsage):
			t.Errorf("%s: err = %v, usage error wanted: %v", tt.name, err, tt.usage)
		}
	}
	if out, _, err := runIO(t, runIntents, "", "help"); err != nil || !strings.Contains(out, "intents train") {
		t.Errorf("help: %v %q", err, out)
	}
}
