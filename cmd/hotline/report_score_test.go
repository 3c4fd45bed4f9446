package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The digests carry the 12345 scoreboard: on the terminal with the
// weights in force, and in the workbook as numbers.
func TestReportScoreboard(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	orders := filepath.Join("..", "..", "workorders", "testdata", "orders-utf8.csv")
	if code, _, errOut := runCmd(t, "import", "12345", orders, "--db", db); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	// The orders are imported now: a weekly digest of the days to come sees them.
	xlsx := filepath.Join(dir, "w.xlsx")
	code, out, errOut := runCmd(t, "report", "weekly", "--db", db, "--weights", "contact=10,response=20", "--xlsx", xlsx)
	if code != 0 {
		t.Fatalf("report: exit %d %s", code, errOut)
	}
	for _, want := range []string{"12345 考核", "响应 20", "先行联系 10", "按部门", "按来源", "12345工单"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("12345考核")
	if err != nil {
		t.Fatal(err)
	}
	var total []string
	for _, r := range rows {
		if len(r) > 2 && r[0] == "全镇" {
			total = r
		}
	}
	if len(total) < 3 || total[2] != "6" {
		t.Errorf("total row = %q", total)
	}
	if code, _, errOut := runCmd(t, "report", "weekly", "--db", db, "--weights", "speed=3"); code != 2 || !strings.Contains(errOut, "--weights") {
		t.Errorf("bad weights: exit %d %s", code, errOut)
	}
}
