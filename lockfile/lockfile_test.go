package lockfile

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAcquireRefusesASecondHolderAndNamesTheFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hotline.db.lock")
	since := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	l, err := Acquire(path, since)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(path, since.Add(time.Minute))
	var held *HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second Acquire = %v, want *HeldError", err)
	}
	host, _ := os.Hostname()
	want := Holder{PID: os.Getpid(), Host: host, Since: since}
	if held.Holder != want || held.Path != path {
		t.Errorf("held by %+v at %s, want %+v at %s", held.Holder, held.Path, want, path)
	}
	for _, sub := range []string{path, fmt.Sprintf("pid %d", os.Getpid()), host, "2026-11-28T09:00:00Z"} {
		if !strings.Contains(err.Error(), sub) {
			t.Errorf("%q does not say %q", err, sub)
		}
	}

	// Released, it can be taken again, and says nothing of the old holder.
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); len(b) != 0 {
		t.Errorf("released lock file still says %q", b)
	}
	l2, err := Acquire(path, since.Add(time.Hour))
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
}

func TestAcquireBadPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "hotline.db.lock")
	_, err := Acquire(path, time.Now())
	if err == nil || !strings.Contains(err.Error(), path) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}

func TestHolderNotWrittenYet(t *testing.T) {
	if got := (Holder{}).String(); !strings.Contains(got, "not said who it is") {
		t.Errorf("zero holder = %q", got)
	}
}

// A process killed with SIGKILL gets no chance to clean up; the kernel
// drops its lock all the same, so the next start is not blocked.
func TestLockOfAKilledProcessIsFree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hotline.db.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), "LOCKFILE_HELPER="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe() // the helper holds the lock until killed
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q, %v", line, err)
	}
	_, err = Acquire(path, time.Now())
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.PID != cmd.Process.Pid {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("while the helper runs: %v (helper pid %d)", err, cmd.Process.Pid)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	cmd.Wait()
	l, err := Acquire(path, time.Now())
	if err != nil {
		t.Fatalf("after kill -9: %v", err)
	}
	l.Release()
}

// TestHelperHoldLock is the process TestLockOfAKilledProcessIsFree kills.
func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv("LOCKFILE_HELPER")
	if path == "" {
		t.Skip("run by TestLockOfAKilledProcessIsFree")
	}
	if _, err := Acquire(path, time.Now()); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	bufio.NewReader(os.Stdin).ReadString('\n') // until killed
	os.Exit(0)
}
