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
	// Root reads and writes whatever the mode bits say, so the two
	// permission cases cannot fail for root; they are checked as any
	// other user (e.g. runuser -u nobody -- go test ./storage).
	asRoot := ""
	if os.Geteuid() == 0 {
		asRoot = "running as root, who may write whatever the mode bits say"
	}
	notLinux := ""
	if runtime.GOOS != "linux" {
		notLinux = "needs Linux's read-only /sys"
	}
	tests := []struct {
		name string
		path string
		says []string
		skip string // why this case cannot be checked here; "" runs it
	}{
		{"missing directory", filepath.Join(dir, "no", "such", "x.db"), []string{filepath.Join(dir, "no", "such", "x.db"), "directory " + filepath.Join(dir, "no", "such") + " does not exist"}, ""},
		{"directory is a file", filepath.Join(file, "x.db"), []string{filepath.Join(file, "x.db"), file + " is not a directory"}, ""},
		{"database is a directory", dir, []string{dir + " is a directory"}, ""},
		{"read-only directory", filepath.Join(readOnlyDir, "x.db"), []string{filepath.Join(readOnlyDir, "x.db"), "cannot create files in " + readOnlyDir, "permission denied"}, asRoot},
		{"read-only file", readOnlyFile, []string{readOnlyFile, "cannot be opened for reading and writing", "permission denied"}, asRoot},
		// sysfs refuses new files even to root.
		{"read-only file system", "/sys/hotline.db", []string{"/sys/hotline.db", "cannot create files in /sys"}, notLinux},
		{"no path", "", []string{"no database path"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip != "" {
				t.Skip(tc.skip)
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
