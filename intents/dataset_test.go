package intents

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadExamples(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "a.csv", "\ufeffid,Title,detail,label\n"+
		"1,路灯坏了,\"村东头, 第三盏\",城乡建设\n"+
		"2,,,城乡建设\n"+ // no text: skipped
		"3,学校,老师不够,\n"+ // no label: skipped
		"4,医院,挂号难,卫生计生\n")
	got, err := ReadExamples(csvPath, Columns{Text: []string{"title", "detail"}, Label: "label"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{ID: "1", Text: "路灯坏了\n村东头, 第三盏", Label: "城乡建设", Fields: []string{"路灯坏了", "村东头, 第三盏"}},
		{ID: "4", Text: "医院\n挂号难", Label: "卫生计生", Fields: []string{"医院", "挂号难"}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("csv:\n got %v\nwant %v", got, want)
	}

	jsonlPath := writeFile(t, dir, "b.jsonl", `{"id": 12, "text": "停电了", "category": "power", "urgency": "normal", "village": "翟各庄村", "resident_village": "翟各庄村"}`+"\n\n"+
		`{"id": "s2", "text": "谢谢", "category": "feedback", "urgency": "low", "village": null}`+"\n")
	got, err = ReadExamples(jsonlPath, CorpusColumns)
	if err != nil {
		t.Fatal(err)
	}
	want0 := Example{ID: "12", Text: "停电了", Label: "power", Urgency: "normal", Village: "翟各庄村", ResidentVillage: "翟各庄村"}
	if len(got) != 2 || fmt.Sprint(got[0]) != fmt.Sprint(want0) || got[1].Village != "" {
		t.Errorf("jsonl: %+v", got)
	}

	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"text", "category"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"树倒了", "forestry"})
	x.SetSheetRow("Sheet1", "A3", &[]any{"路灯不亮", "roads"})
	xlsxPath := filepath.Join(dir, "c.xlsx")
	if err := x.SaveAs(xlsxPath); err != nil {
		t.Fatal(err)
	}
	got, err = ReadExamples(xlsxPath, CorpusColumns)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Text != "路灯不亮" || got[1].Label != "roads" || got[1].ID != "2" {
		t.Errorf("xlsx: %+v", got)
	}

	sub := filepath.Join(dir, "corpus")
	os.Mkdir(sub, 0o755)
	writeFile(t, sub, "b-1.jsonl", `{"id":"b","text":"二","category":"other"}`)
	writeFile(t, sub, "a-1.jsonl", `{"id":"a","text":"一","category":"other"}`)
	writeFile(t, sub, "notes.txt", "ignored")
	got, err = ReadExamples(sub, CorpusColumns)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" {
		t.Errorf("dir: %+v", got)
	}
}

// Excel on Chinese Windows saves "CSV" in GBK; the text and the error
// messages must come out right, and a file in neither encoding is refused
// with its line.
func TestReadExamplesEncodings(t *testing.T) {
	dir := t.TempDir()
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("标题,留言详情,一级分类\n路灯坏了,村东头第三盏,城乡建设\n")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadExamples(writeFile(t, dir, "gbk.csv", gbk), Columns{Text: []string{"标题", "留言详情"}, Label: "一级分类"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Text != "路灯坏了\n村东头第三盏" || got[0].Label != "城乡建设" {
		t.Errorf("gbk: %+v", got)
	}
	gbkJSONL, _ := simplifiedchinese.GBK.NewEncoder().String(`{"text":"停电了","category":"power"}` + "\n")
	if got, err := ReadExamples(writeFile(t, dir, "gbk.jsonl", gbkJSONL), CorpusColumns); err != nil || len(got) != 1 || got[0].Text != "停电了" {
		t.Errorf("gbk jsonl: %+v, %v", got, err)
	}
	_, err = ReadExamples(writeFile(t, dir, "bad.csv", "text,category\n\xff\xfe\xff,x\n"), CorpusColumns)
	if err == nil || !strings.Contains(err.Error(), "bad.csv:2: text is neither UTF-8 nor GBK/GB18030") {
		t.Errorf("bad encoding: %v", err)
	}
	_, err = ReadExamples(writeFile(t, dir, "cols.csv", "Title,Detail,Label\na,b,c\n"), CorpusColumns)
	if err == nil || !strings.Contains(err.Error(), `no column "text"; the columns are: Title, Detail, Label`) {
		t.Errorf("missing column: %v", err)
	}
}

func TestReadExamplesErrors(t *testing.T) {
	dir := t.TempDir()
	tests := map[string]struct {
		path string
		cols Columns
	}{
		"missing file":     {filepath.Join(dir, "nope.csv"), CorpusColumns},
		"unsupported type": {writeFile(t, dir, "a.txt", "text,category\n"), CorpusColumns},
		"missing column":   {writeFile(t, dir, "b.csv", "text,label\n路灯,roads\n"), CorpusColumns},
		"bad jsonl line":   {writeFile(t, dir, "c.jsonl", "{\"text\":\"a\",\"category\":\"b\"}\n{oops\n"), CorpusColumns},
		"not an object":    {writeFile(t, dir, "d.jsonl", "[1]\n"), CorpusColumns},
		"bad csv quoting":  {writeFile(t, dir, "e.csv", "text,category\n\"a,b\n"), CorpusColumns},
		"not a workbook":   {writeFile(t, dir, "f.xlsx", "PK nonsense"), CorpusColumns},
		"no text columns":  {writeFile(t, dir, "g.csv", "text,category\na,b\n"), Columns{Label: "category"}},
		"empty directory":  {t.TempDir(), CorpusColumns},
		"no label column":  {writeFile(t, dir, "h.csv", "text,category\na,b\n"), Columns{Text: []string{"text"}}},
	}
	for name, tt := range tests {
		if _, err := ReadExamples(tt.path, tt.cols); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSplitHeldOut(t *testing.T) {
	var ex []Example
	for i := range 5000 {
		ex = append(ex, Example{ID: fmt.Sprintf("cd-%04d", i), Text: "x", Label: "y"})
	}
	train, held := SplitHeldOut(ex)
	if len(train)+len(held) != len(ex) {
		t.Fatal("split lost examples")
	}
	share := float64(len(held)) / float64(len(ex))
	if math.Abs(share-HeldOutShare) > 0.02 {
		t.Errorf("held-out share %.3f, want about %.2f", share, HeldOutShare)
	}
	// Adding examples never moves an old one across the split.
	_, held2 := SplitHeldOut(append(slices.Clone(ex[:100]), Example{ID: "new", Text: "x", Label: "y"}))
	for _, e := range held2 {
		if e.ID != "new" && !slices.ContainsFunc(held, func(h Example) bool { return h.ID == e.ID }) {
			t.Errorf("%s moved to held-out", e.ID)
		}
	}
	if _, err := SelectSplit(ex, "test"); err == nil || !strings.Contains(err.Error(), "unknown split") {
		t.Errorf("bad split: %v", err)
	}
	for split, n := range map[string]int{"": len(ex), "all": len(ex), "train": len(train), "heldout": len(held)} {
		got, err := SelectSplit(ex, split)
		if err != nil || len(got) != n {
			t.Errorf("SelectSplit(%q) = %d, %v; want %d", split, len(got), err, n)
		}
	}
}
