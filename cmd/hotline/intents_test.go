package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
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

// A township's own export from Excel on Chinese Windows is GBK; train and
// cv read it, and a file in no known encoding is refused with its line.
func TestIntentsGBK(t *testing.T) {
	dir := t.TempDir()
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(syntheticCSV())
	if err != nil {
		t.Fatal(err)
	}
	data := write(t, dir, "gbk.csv", gbk)
	out, errOut, err := runIO(t, runIntents, "", "train", "--data", data, "--text", "title,detail", "--label", "label", "--out", filepath.Join(dir, "m"))
	if err != nil || !strings.Contains(out, "3 labels") {
		t.Fatalf("train on GBK: %v %q %s", err, out, errOut)
	}
	out, _, err = runIO(t, runIntents, "", "cv", "--data", data, "--text", "title,detail", "--label", "label", "--folds", "3")
	if err != nil || !strings.Contains(out, "交通") {
		t.Errorf("cv on GBK: %v\n%s", err, out)
	}
	bad := write(t, dir, "bad.csv", "text,category\n\xff\xfe\xff,x\n")
	if _, _, err := runIO(t, runIntents, "", "cv", "--data", bad); err == nil || !strings.Contains(err.Error(), "bad.csv:2: text is neither UTF-8 nor GBK/GB18030") {
		t.Errorf("bad encoding: %v", err)
	}
}

// The usage names --text, --label and --split, a missing column is named
// with the columns there are, and eval says n/a for what the data cannot
// measure.
func TestIntentsHelpAndColumns(t *testing.T) {
	out, _, _ := runIO(t, runIntents, "", "help")
	for _, want := range []string{"--text COLS", "--label COL", "--split", "heldout", "GBK", "n/a"} {
		if !strings.Contains(out, want) {
			t.Errorf("usage lacks %q:\n%s", want, out)
		}
	}
	dir := t.TempDir()
	data := write(t, dir, "data.csv", syntheticCSV())
	_, _, err := runIO(t, runIntents, "", "train", "--data", data, "--out", filepath.Join(dir, "m"))
	if err == nil || !strings.Contains(err.Error(), `no column "text"; the columns are: id, title, detail, label`) {
		t.Errorf("missing column: %v", err)
	}
	plain := write(t, dir, "plain.csv", "text,category\n家里有煤气味,safety\n路灯坏了,roads\n")
	out, errOut, err := runIO(t, runIntents, "", "eval", "--data", plain, "--villages", write(t, dir, "v.csv", testVillages))
	if err != nil {
		t.Fatalf("eval: %v %s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; last != "macro_f1=1.000 urgent_recall=n/a village_acc=n/a" {
		t.Errorf("last line %q", last)
	}
	for _, want := range []string{"urgency: n/a", "village: n/a", "robustness", "polite ending", "traditional"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
}

// eval and classify only read a model and a roster: without --villages and
// with no database at --db they use the demo roster and create no file.
func TestReadOnlyCommandsCreateNoDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hotline.db")
	plain := write(t, dir, "plain.csv", "text,category\n翟各庄村路灯坏了,roads\n")
	if _, errOut, err := runIO(t, runIntents, "", "eval", "--data", plain, "--db", db, "--robust=false"); err != nil || !strings.Contains(errOut, "demo roster") {
		t.Errorf("eval: %v %q", err, errOut)
	}
	out, _, err := runIO(t, runClassify, `{"text":"翟各庄村路灯坏了"}`+"\n", "--db", db)
	if err != nil || !strings.Contains(out, `"village":"翟各庄村"`) {
		t.Errorf("classify: %v %s", err, out)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "hotline.db") {
			t.Errorf("%s was created", e.Name())
		}
	}
}
