package storage

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A database that cannot be opened says which path and why, before
// SQLite's "unable to open database file" can.
func TestOpenSaysWhichPathAndWhy(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	readOnlyDir := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnlyDir, 0o555); err != nil {
		t.Fatal(err)
	}
	readOnlyFile := filepath.Join(dir, "ro.db")
	if err := os.WriteFile(readOnlyFile, nil, 0o400); err != nil {
		t.Fatal(err)
	}
	root := os.Geteuid() == 0 // root reads and writes whatever the mode bits say
	tests := []struct {
		name    string
		path    string
		says    []string
		skipped bool
	}{
		{"missing directory", filepath.Join(dir, "no", "such", "x.db"), []string{filepath.Join(dir, "no", "such", "x.db"), "directory " + filepath.Join(dir, "no", "such") + " does not exist"}, false},
		{"directory is a file", filepath.Join(file, "x.db"), []string{filepath.Join(file, "x.db"), file + " is not a directory"}, false},
		{"database is a directory", dir, []string{dir + " is a directory"}, false},
		{"read-only directory", filepath.Join(readOnlyDir, "x.db"), []string{filepath.Join(readOnlyDir, "x.db"), "cannot create files in " + readOnlyDir, "permission denied"}, root},
		{"read-only file", readOnlyFile, []string{readOnlyFile, "cannot be opened for reading and writing", "permission denied"}, root},
		// sysfs refuses new files even to root.
		{"read-only file system", "/sys/hotline.db", []string{"/sys/hotline.db", "cannot create files in /sys"}, runtime.GOOS != "linux"},
		{"no path", "", []string{"no database path"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skipped {
				t.Skip("not checkable here")
			}
			_, err := Open(context.Background(), tc.path)
			if err == nil {
				t.Fatal("opened")
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%q does not say %q", err, s)
				}
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".hotline-check-*")); len(left) != 0 {
		t.Errorf("checks left %v behind", left)
	}
}
