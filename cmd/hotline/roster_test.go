package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hotline/assets"
	"hotline/storage"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), stdio{in: strings.NewReader(""), out: &out, err: &errOut}, args)
	return code, out.String(), errOut.String()
}

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func rosterCounts(t *testing.T, db string) (villages, staff int) {
	t.Helper()
	store, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	r, err := assets.Load(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	return len(r.Villages), len(r.Staff)
}

func TestRosterImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	villages := write(t, dir, "villages.csv", "\ufeffvillage,area,kind,size,aliases,households\n翟各庄村,东片区,village,large,翟各庄;翟庄,1260\n马各庄村,东片区,,,,420\n")
	staff := write(t, dir, "staff.csv", "name,telegram_id,role,village,area,department,phone\n曾令发,100001,village_cadre,翟各庄村,,,13800000001\n曾令发,100001,village_cadre,马各庄村,,,13800000001\n李东,200001,area_leader,,东片区,,\n中心,400001,center,,,,\n")
	code, out, errOut := runCmd(t, "roster", "import", "--db", db, "--villages", villages, "--staff", staff)
	if code != 0 {
		t.Fatalf("good import: exit %d, stderr %s", code, errOut)
	}
	if !strings.Contains(out, "2 villages") || !strings.Contains(out, "3 staff") {
		t.Errorf("summary = %q", out)
	}
	if v, s := rosterCounts(t, db); v != 2 || s != 3 {
		t.Fatalf("roster = %d villages, %d staff", v, s)
	}

	bad := write(t, dir, "bad.csv", "name,telegram_id,role,village,area,department\n王五,abc,village_cadre,翟各庄村,,\n赵六,300001,department,,,weather\n钱七,300002,boss,,,\n孙八,100002,village_cadre,不存在村,,\n")
	code, _, errOut = runCmd(t, "roster", "import", "--db", db, "--villages", villages, "--staff", bad)
	if code != 1 {
		t.Fatalf("bad import: exit %d, want 1", code)
	}
	for _, line := range []string{"bad.csv:2:", "bad.csv:3:", "bad.csv:4:", "bad.csv:5:"} {
		if !strings.Contains(errOut, line) {
			t.Errorf("stderr lacks %q:\n%s", line, errOut)
		}
	}
	if v, s := rosterCounts(t, db); v != 2 || s != 3 {
		t.Errorf("roster changed by a rejected file: %d villages, %d staff", v, s)
	}
}

func TestRosterImportWarnsWithoutCenter(t *testing.T) {
	dir := t.TempDir()
	villages := write(t, dir, "villages.csv", "village,area\n翟各庄村,东片区\n")
	staff := write(t, dir, "staff.csv", "name,telegram_id,role,village\n曾令发,100001,village_cadre,翟各庄村\n")
	code, _, errOut := runCmd(t, "roster", "import", "--db", filepath.Join(dir, "h.db"), "--villages", villages, "--staff", staff)
	if code != 0 || !strings.Contains(errOut, "no center") {
		t.Errorf("exit %d, stderr %q; want success with a warning", code, errOut)
	}
}

func TestRosterImportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"roster"},
		{"roster", "export"},
		{"roster", "import"},
		{"roster", "import", "--bogus"},
	} {
		if code, _, _ := runCmd(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, _, errOut := runCmd(t, "roster", "import", "--db", filepath.Join(t.TempDir(), "h.db"), "--villages", "/no/such/file.csv")
	if code != 1 || !strings.Contains(errOut, "file.csv") {
		t.Errorf("missing file: exit %d, %s", code, errOut)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errOut := runCmd(t, "frobnicate")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("exit %d, %s", code, errOut)
	}
}
