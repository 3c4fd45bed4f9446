package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// runIO runs a subcommand function with stdin and returns its error and
// outputs.
func runIO(t *testing.T, fn func(context.Context, stdio, []string) error, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = fn(context.Background(), stdio{in: strings.NewReader(stdin), out: &out, err: &errOut}, args)
	return out.String(), errOut.String(), err
}

const testVillages = "village,area,kind,size,aliases,households\n" +
	"翟各庄村,东片区,village,large,翟各庄;翟庄,1260\n" +
	"王各庄村,西片区,village,large,,720\n" +
	"李家店村,西片区,village,small,李店,410\n"

func TestClassifyCommand(t *testing.T) {
	dir := t.TempDir()
	villages := write(t, dir, "villages.csv", testVillages)
	in := `{"id":"a1","text":"家里有煤气味","resident_village":"翟庄","n":1.50}` + "\n" +
		"\n" +
		"not json\n" +
		`{"text":"我妈在王各庄一个人住，暖气坏了，今天零下十五度","resident_village":"李家店村"}` + "\n" +
		`{"text":""}` + "\n"
	in += "{\"text\":\"\xb5\xd4\xb8\xf7\xd7\xaf\"}\n" // GBK, not UTF-8
	out, errOut, err := runIO(t, runClassify, in, "--villages", villages)
	if err != nil {
		t.Fatalf("classify: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d output lines for 6 input lines:\n%s", len(lines), out)
	}
	if lines[5] != `{"line":6,"error":"not valid UTF-8 (at byte 10)"}` || !utf8.ValidString(out) {
		t.Errorf("invalid UTF-8 line: %q", lines[5])
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first["category"] != "safety" || first["urgency"] != "urgent" || first["village"] != "翟各庄村" || first["id"] != "a1" {
		t.Errorf("line 1 = %s", lines[0])
	}
	if !strings.Contains(lines[0], `"n":1.50`) {
		t.Errorf("line 1 reformatted an input value: %s", lines[0])
	}
	if conf, ok := first["confidence"].(float64); !ok || conf < 0 || conf > 1 {
		t.Errorf("line 1 confidence = %v", first["confidence"])
	}
	if lines[1] != `{"line":2,"error":"empty line"}` || !strings.HasPrefix(lines[2], `{"line":3,"error":`) {
		t.Errorf("error lines = %s / %s", lines[1], lines[2])
	}
	var fourth map[string]any
	json.Unmarshal([]byte(lines[3]), &fourth)
	if fourth["village"] != "王各庄村" || fourth["category"] != "heating" || fourth["urgency"] != "urgent" {
		t.Errorf("line 4 = %s", lines[3])
	}
	if !strings.Contains(lines[4], `"category":"other","urgency":"low"`) {
		t.Errorf("line 5 = %s", lines[4])
	}
}

func TestClassifyCommandDefaultsToDatabaseRoster(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	out, errOut, err := runIO(t, runClassify, `{"text":"于务村口的秋千坏了"}`+"\n", "--db", db)
	if err != nil {
		t.Fatalf("classify: %v\n%s", err, errOut)
	}
	// The database has no roster, so the demo roster's 于家务村 is found.
	if !strings.Contains(out, `"village":"于家务村"`) {
		t.Errorf("out = %s", out)
	}
}

func TestClassifyCommandBadUse(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		args  []string
		usage bool // errUsage rather than a plain error
	}{
		{"unknown flag", []string{"--bogus"}, true},
		{"stray argument", []string{"extra"}, true},
		{"missing villages file", []string{"--villages", filepath.Join(dir, "none.csv")}, false},
		{"bad villages file", []string{"--villages", write(t, dir, "v.csv", "name\nx\n")}, false},
		{"missing model", []string{"--villages", write(t, dir, "ok.csv", testVillages), "--model", filepath.Join(dir, "none.model")}, false},
		{"bad model", []string{"--villages", write(t, dir, "ok2.csv", testVillages), "--model", write(t, dir, "bad.model", "nonsense")}, false},
	}
	for _, tt := range tests {
		_, _, err := runIO(t, runClassify, "", tt.args...)
		switch {
		case err == nil:
			t.Errorf("%s: no error", tt.name)
		case tt.usage != errors.Is(err, errUsage):
			t.Errorf("%s: err = %v, usage error wanted: %v", tt.name, err, tt.usage)
		}
	}
	if _, _, err := runIO(t, runClassify, "", "-h"); err == nil || errors.Is(err, errUsage) {
		t.Errorf("-h: err = %v, want flag.ErrHelp", err)
	}
}
