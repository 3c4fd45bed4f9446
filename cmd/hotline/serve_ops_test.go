package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hotline/botsim"
	"hotline/storage"
)

var zhangDaye = botsim.User{ID: 900000001, FirstName: "张大爷"} // a demo user of the chat page

// startLocal starts serve in local mode on db; stop stops it and returns
// what Wait says.
func startLocal(t *testing.T, db string) (s *service, watch *apiWatch, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	watch = newAPIWatch()
	s, err := startServe(ctx, serveConfig{DB: db, Addr: "127.0.0.1:0", RosterEvery: time.Hour, FollowUpEvery: time.Hour, wrapAPI: watch.wrap}, testLog(t))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return s.Wait()
	}
	t.Cleanup(func() { stop() })
	return s, watch, stop
}

// registered puts the demo roster and a registered 张大爷 into db, so that
// what he writes opens tickets.
func registered(t *testing.T, db string) {
	t.Helper()
	withDemoRoster(t, db, func(ctx context.Context, tx *storage.Tx) error {
		now := time.Now()
		if _, err := tx.EnsureResident(ctx, zhangDaye.ID, zhangDaye.FirstName, now); err != nil {
			return err
		}
		if err := tx.SetResidentVillage(ctx, zhangDaye.ID, "翟各庄村", now); err != nil {
			return err
		}
		return tx.MarkStarted(ctx, zhangDaye.ID, now)
	})
}

// withDemoRoster imports the demo roster into db, then runs fn in one
// write transaction: what serve with a token does not put there itself.
func withDemoRoster(t *testing.T, db string, fn func(context.Context, *storage.Tx) error) {
	t.Helper()
	ctx := context.Background()
	store, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := importDemoRoster(ctx, store); err != nil {
		t.Fatal(err)
	}
	if err := store.Update(ctx, func(tx *storage.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// say sends text from u on the chat page and waits for a reply containing want.
func say(t *testing.T, s *service, watch *apiWatch, u botsim.User, text, want string) int64 {
	t.Helper()
	n := s.sim.BotMessageCount(u.ID)
	id := s.sim.SendText(u, text)
	watch.waitFor(t, fmt.Sprintf("reply to %q", text), func() bool {
		ms := s.sim.Messages(u.ID)
		return len(ms) > n && strings.Contains(ms[len(ms)-1].Plain, want)
	})
	return id
}

// One service per database: a second serve on it is refused, naming the
// running one, and may start once the first has stopped.
func TestServeRefusesASecondServeOnTheSameDatabase(t *testing.T) {
	t.Setenv("TELEGRAM_BOT_TOKEN", "") // local mode for run() too
	db := filepath.Join(t.TempDir(), "one.db")
	_, _, stop := startLocal(t, db)

	_, err := startServe(context.Background(), serveConfig{DB: db, Addr: "127.0.0.1:0", RosterEvery: time.Hour}, testLog(t))
	host, _ := os.Hostname()
	for _, want := range []string{db, "in use by another hotline serve", fmt.Sprintf("pid %d", os.Getpid()), host, "since"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("second serve: %v; want it to say %q", err, want)
		}
	}
	// The command exits non-zero with that message.
	var stderr bytes.Buffer
	if code := run(context.Background(), stdio{out: io.Discard, err: &stderr}, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}); code != 1 ||
		!strings.Contains(stderr.String(), "in use by another hotline serve") {
		t.Errorf("hotline serve = %d, %q", code, stderr.String())
	}

	if err := stop(); err != nil {
		t.Fatal(err)
	}
	_, _, stop2 := startLocal(t, db) // released on stop
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
}

// A serve killed with SIGKILL cannot release its lock; the kernel does,
// so the next start is not blocked by a stale lock.
func TestServeStartsAfterTheLastOneWasKilled(t *testing.T) {
	db := filepath.Join(t.TempDir(), "killed.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$")
	cmd.Env = append(os.Environ(), "HOTLINE_TEST_SERVE_DB="+db, "TELEGRAM_BOT_TOKEN=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	lines := bufio.NewScanner(stderr)
	for !strings.Contains(lines.Text(), "hotline serving") {
		if !lines.Scan() {
			t.Fatalf("the helper serve stopped before serving: %v", lines.Err())
		}
	}
	go io.Copy(io.Discard, stderr) // keep the helper's log flowing

	_, err = startServe(context.Background(), serveConfig{DB: db, Addr: "127.0.0.1:0", RosterEvery: time.Hour}, testLog(t))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", cmd.Process.Pid)) {
		t.Fatalf("while the helper serves: %v (helper pid %d)", err, cmd.Process.Pid)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	s, watch, stop := startLocal(t, db)
	say(t, s, watch, zhangDaye, "/start", "哪个片区")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestHelperServe is the serve that TestServeStartsAfterTheLastOneWasKilled
// and TestServeKilledMidIntake kill. SIGTERM stops it as it stops hotline.
func TestHelperServe(t *testing.T) {
	db := os.Getenv("HOTLINE_TEST_SERVE_DB")
	if db == "" {
		t.Skip("run by TestServeStartsAfterTheLastOneWasKilled and TestServeKilledMidIntake")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}))
}

// Local mode's Bot API starts afresh at every start; its update ids go on
// after the journal's, so a restart's messages are answered, not dropped
// as already seen.
func TestServeLocalModeRestartDeliversNewMessages(t *testing.T) {
	db := filepath.Join(t.TempDir(), "restart.db")
	s, watch, stop := startLocal(t, db)
	first := say(t, s, watch, zhangDaye, "/start", "哪个片区")
	say(t, s, watch, zhangDaye, "/help", "使用说明")
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	s, watch, stop = startLocal(t, db)
	id := say(t, s, watch, zhangDaye, "/start", "哪个片区")
	if id <= first+1 {
		t.Errorf("update id after restart = %d; the last run used %d and %d", id, first, first+1)
	}
	say(t, s, watch, zhangDaye, "/help", "使用说明")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	store, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if last, err := store.LastUpdateID(context.Background()); err != nil || last != id+1 {
		t.Errorf("last journalled update = %d, %v; want %d", last, err, id+1)
	}
}

// The address is bound before the database is touched: a busy port fails
// the start and leaves no database, lock or WAL behind.
func TestServeBusyPortFailsBeforeTheDatabase(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "hotline.db")
	_, err = startServe(context.Background(), serveConfig{DB: db, Addr: ln.Addr().String(), RosterEvery: time.Hour}, testLog(t))
	if err == nil || !strings.Contains(err.Error(), "listen on "+ln.Addr().String()) {
		t.Fatalf("err = %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("a failed start left %v", left)
	}
}

// An unusable --db is named with the reason, by serve and by the other
// commands alike.
func TestBadDatabasePathIsNamed(t *testing.T) {
	t.Setenv("TELEGRAM_BOT_TOKEN", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "missing", "hotline.db")
	for _, args := range [][]string{
		{"serve", "--db", db, "--addr", "127.0.0.1:0"},
		{"report", "daily", "--db", db},
		{"backup", "--db", db, "--out", filepath.Join(dir, "b.db")},
	} {
		var stderr bytes.Buffer
		code := run(context.Background(), stdio{out: io.Discard, err: &stderr}, args)
		if code != 1 || !strings.Contains(stderr.String(), db) || !strings.Contains(stderr.String(), "does not exist") && !strings.Contains(stderr.String(), "no such file") {
			t.Errorf("hotline %s = %d, %q", args[0], code, stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a command created the missing directory")
	}
}

func TestLogFormat(t *testing.T) {
	for _, tc := range []struct {
		format string
		json   bool
	}{{"", false}, {"text", false}, {"json", true}} {
		var b bytes.Buffer
		if err := checkLogFormat(tc.format); err != nil {
			t.Fatal(err)
		}
		newLogger(&b, tc.format, slog.LevelInfo).Info("hotline serving", "mode", "local")
		newLogger(&b, tc.format, slog.LevelInfo).Debug("not shown")
		line := strings.TrimSpace(b.String())
		var obj map[string]any
		isJSON := json.Unmarshal([]byte(line), &obj) == nil
		if isJSON != tc.json || !strings.Contains(line, "hotline serving") || strings.Contains(line, "not shown") {
			t.Errorf("format %q wrote %q", tc.format, line)
		}
		if tc.json && obj["mode"] != "local" {
			t.Errorf("json line = %v", obj)
		}
	}
	var stderr bytes.Buffer
	if _, err := parseServe(stdio{out: io.Discard, err: &stderr}, nil, func(k string) string {
		return map[string]string{"HOTLINE_LOG_FORMAT": "xml"}[k]
	}); !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), `"xml"`) {
		t.Errorf("HOTLINE_LOG_FORMAT=xml: %v %q", err, stderr.String())
	}
}

// /metrics is served beside /healthz and counts what the service did.
func TestServeMetrics(t *testing.T) {
	db := filepath.Join(t.TempDir(), "metrics.db")
	registered(t, db)
	s, watch, stop := startLocal(t, db)
	say(t, s, watch, zhangDaye, "村口的路灯坏了一个星期了", "工单编号")
	code, body := get(t, s.URL()+"metrics")
	if code != 200 {
		t.Fatalf("GET /metrics = %d", code)
	}
	for _, want := range []string{
		`source="telegram"`,
		"hotline_ticket_transitions_total{from=\"new\",to=\"assigned\"} 1\n",
		"hotline_update_handling_seconds_count 1\n",
		"hotline_classifier_confidence_count{classifier=",
		"hotline_sla_overdue_tickets{deadline=\"accept\"} 0\n",
		"hotline_outbox_pending{lane=\"campaign\"} ",
		"hotline_outbox_ahead_of_tickets_seconds ",
		"hotline_send_latency_seconds_count{lane=\"ticket\"} ",
		"\nprocess_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !strings.Contains(body, "hotline_tickets_opened_total{") {
		t.Errorf("no ticket counted:\n%s", body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
