package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestRollupRebuild(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hotline.db")
	ctx := context.Background()
	if code := run(ctx, stdio{out: io.Discard, err: io.Discard}, []string{"gen", "--tickets", "40", "--residents", "50", "--db", db}); code != 0 {
		t.Fatalf("gen = %d", code)
	}
	var out, errOut bytes.Buffer
	if code := run(ctx, stdio{out: &out, err: &errOut}, []string{"rollup", "rebuild", "--db", db}); code != 0 {
		t.Fatalf("rollup rebuild = %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "rebuilt the reports' rollup of "+db) {
		t.Fatalf("rollup rebuild said %q", out.String())
	}
	if got := ticketNumbers(t, db); len(got) != 40 {
		t.Fatalf("%d tickets after the rebuild, want 40", len(got))
	}
}

func TestRollupUsage(t *testing.T) {
	for _, args := range [][]string{{"rollup"}, {"rollup", "recount"}, {"rollup", "rebuild", "extra"}, {"rollup", "rebuild", "--nonsense"}} {
		if code := run(context.Background(), stdio{out: io.Discard, err: io.Discard}, args); code != 2 {
			t.Errorf("%v = %d, want 2", args, code)
		}
	}
}
