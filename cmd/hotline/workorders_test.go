package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The CLI says which encoding it read, refuses a bad file whole with
// FILE:LINE: reason, imports a good one once, and exports the results.
func TestImportExport12345(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	bad := write(t, dir, "bad.csv", "工单编号,派单时间,诉求内容\nGD1,2026-11-25 09:00,路灯坏了\nGD2,昨天,路灯坏了\n")
	code, _, errOut := runCmd(t, "import", "12345", bad, "--db", db)
	if code != 1 || !strings.Contains(errOut, "bad.csv:3: 派单时间 \"昨天\"") || !strings.Contains(errOut, "nothing was imported") {
		t.Fatalf("bad file: exit %d, stderr %s", code, errOut)
	}
	gbk := filepath.Join("..", "..", "workorders", "testdata", "orders-gbk-variants.csv")
	code, out, errOut := runCmd(t, "import", "12345", gbk, "--db", db)
	if code != 0 || !strings.Contains(out, "CSV in GBK (GB18030), 2 rows") || !strings.Contains(out, "2 new, 0 updated, 0 unchanged") {
		t.Fatalf("GBK import: exit %d, out %q, stderr %s", code, out, errOut)
	}
	code, out, _ = runCmd(t, "import", "12345", gbk, "--db", db)
	if code != 0 || !strings.Contains(out, "0 new, 0 updated, 2 unchanged") {
		t.Errorf("second import: exit %d, out %q", code, out)
	}
	xlsx := filepath.Join(dir, "results.xlsx")
	code, out, errOut = runCmd(t, "export", "12345", "--db", db, "--from", "2026-11-28", "--to", "2026-11-28", "--out", xlsx)
	if code != 0 || !strings.Contains(out, "2 orders") {
		t.Fatalf("export: exit %d, out %q, stderr %s", code, out, errOut)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 3 || rows[0][0] != "工单编号" || rows[1][0] != "GD20261128000031" || rows[1][3] != "待接单" {
		t.Errorf("exported rows = %q", rows)
	}
	if code, _, _ := runCmd(t, "export", "12345", "--db", db, "--from", "2026-11-30", "--to", "2026-11-28", "--out", xlsx); code != 2 {
		t.Errorf("--to before --from: exit %d", code)
	}
	if code, _, _ := runCmd(t, "import", "csv", gbk); code != 2 {
		t.Errorf("import of an unknown kind: exit %d", code)
	}
}
