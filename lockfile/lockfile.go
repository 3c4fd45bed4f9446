// Package lockfile keeps two processes from running the same thing at once
// with an operating-system lock on a file. The kernel drops the lock when
// its holder exits, however it exits (kill -9, a crash, a power cut), so a
// lock is never left stale and nobody has to wait out a heartbeat. The
// holder writes who it is into the file, so that the one refused can say
// who runs.
package lockfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Holder is who holds a lock.
type Holder struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host"`
	Since time.Time `json:"since"`
}

func (h Holder) String() string {
	if h.PID == 0 {
		return "a process that has not said who it is yet"
	}
	return fmt.Sprintf("pid %d on %s since %s", h.PID, h.Host, h.Since.Format(time.RFC3339))
}

// HeldError is returned when another process holds the lock.
type HeldError struct {
	Path   string
	Holder Holder // zero when the holder had not written itself yet
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("%s is held by %s", e.Path, e.Holder)
}

// Lock is a lock held by this process.
type Lock struct {
	f *os.File
}

// Acquire takes the lock on the file at path, creating it if needed, and
// writes this process into it. It never waits: a lock held by another
// process (or by another Acquire in this one) is a *HeldError. The file is
// left in place when released: removing it would let two processes lock
// two different files of the same name.
func Acquire(path string, now time.Time) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if held {
		h := readHolder(f)
		f.Close()
		return nil, &HeldError{Path: path, Holder: h}
	}
	host, _ := os.Hostname()
	b, err := json.Marshal(Holder{PID: os.Getpid(), Host: host, Since: now})
	if err == nil {
		err = f.Truncate(0)
	}
	if err == nil {
		_, err = f.WriteAt(append(b, '\n'), 0)
	}
	if err != nil {
		f.Close() // closing drops the lock
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// Release drops the lock. The file says nothing any more.
func (l *Lock) Release() error {
	return errors.Join(l.f.Truncate(0), l.f.Close())
}

// readHolder reads who holds the lock; a holder that has not written
// itself yet reads as the zero Holder.
func readHolder(f *os.File) Holder {
	var h Holder
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 4096))
	if err == nil {
		_ = json.Unmarshal(b, &h)
	}
	return h
}
