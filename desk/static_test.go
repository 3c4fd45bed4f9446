package desk

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestEChartsIsThePinnedPackage checks that the embedded ECharts is the
// version package-lock.json pins and, where `npm ci` installed it (CI
// does), byte for byte the file of that package, whose tarball npm
// checked against the lock's integrity hash.
func TestEChartsIsThePinnedPackage(t *testing.T) {
	lockFile, err := os.ReadFile(filepath.Join("assets", "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(lockFile, &lock); err != nil {
		t.Fatal(err)
	}
	pinned := lock.Packages["node_modules/echarts"]
	if pinned.Version != "6.1.0" || pinned.Integrity == "" {
		t.Fatalf("package-lock.json pins echarts %+v, want 6.1.0 with its integrity", pinned)
	}
	embedded, err := static.ReadFile("static/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(embedded, []byte(`version="`+pinned.Version+`"`)) {
		t.Fatalf("the embedded echarts.min.js is not version %s", pinned.Version)
	}
	installed, err := os.ReadFile(filepath.Join("assets", "node_modules", "echarts", "dist", "echarts.min.js"))
	if os.IsNotExist(err) {
		t.Skip("npm package not installed here (npm ci --prefix desk/assets); the version check above passed")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(installed, embedded) {
		t.Fatal("desk/static/echarts.min.js differs from the installed package: run go generate ./desk")
	}
}

// TestTemplatesNeedNoInlineCode: the pages' Content-Security-Policy allows
// scripts and styles from the binary's files only, so no template may
// carry an inline script, style or event handler.
func TestTemplatesNeedNoInlineCode(t *testing.T) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|\sstyle=|\son[a-z]+=`)
	for _, n := range names {
		b, err := templateFiles.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if m := inline.Find(b); m != nil {
			t.Errorf("%s: inline code %q", n, m)
		}
	}
}
