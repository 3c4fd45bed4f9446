package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/signin"
	"hotline/storage"
)

func TestTokenCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	villages := write(t, dir, "villages.csv", "village,area\n翟各庄村,东片区\n")
	staff := write(t, dir, "staff.csv", "name,telegram_id,role,village\n曾令发,100001,village_cadre,翟各庄村\n中心,400001,center,\n")
	if code, _, errOut := runCmd(t, "roster", "import", "--db", db, "--villages", villages, "--staff", staff); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCmd(t, "token", "create", "--db", db, "--staff", "400001", "--note", "区12345平台")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if strings.ContainsAny(token, " \t") || !strings.Contains(token, ".") {
		t.Fatalf("the last line is not the token alone: %q", out)
	}
	id, _, _ := strings.Cut(token, ".")
	check := func() error {
		store, err := storage.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		sign, _ := signin.New("http://127.0.0.1", time.Now)
		return store.View(context.Background(), func(tx *storage.Tx) error {
			who, err := sign.Token(context.Background(), tx, token)
			if err == nil && who != 400001 {
				t.Errorf("token of %d", who)
			}
			return err
		})
	}
	if err := check(); err != nil {
		t.Fatalf("the printed token does not work: %v", err)
	}
	_, out, _ = runCmd(t, "token", "list", "--db", db)
	if !strings.Contains(out, id) || !strings.Contains(out, "中心") || !strings.Contains(out, "区12345平台") || !strings.Contains(out, "active") {
		t.Errorf("list = %q", out)
	}
	if strings.Contains(out, token) {
		t.Error("list shows the secret")
	}
	if code, _, errOut := runCmd(t, "token", "revoke", "--db", db, id); code != 0 {
		t.Fatalf("revoke: %s", errOut)
	}
	if err := check(); err == nil {
		t.Fatal("a revoked token still works")
	}
	if _, out, _ = runCmd(t, "token", "list", "--db", db); !strings.Contains(out, "revoked") {
		t.Errorf("list after revoke = %q", out)
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"token"}, 2},
		{[]string{"token", "create", "--db", db}, 2},
		{[]string{"token", "create", "--db", db, "--staff", "999"}, 1}, // not in the roster
		{[]string{"token", "revoke", "--db", db}, 2},
		{[]string{"token", "revoke", "--db", db, id}, 1}, // already revoked
		{[]string{"token", "revoke", "--db", db, "nope"}, 1},
		{[]string{"token", "rotate", "--db", db}, 2},
	} {
		if code, _, _ := runCmd(t, c.args...); code != c.want {
			t.Errorf("%v: exit %d, want %d", c.args, code, c.want)
		}
	}
}
