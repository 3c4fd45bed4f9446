package storage

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"
)

// BackupResult says what a backup wrote.
type BackupResult struct {
	Pages int   // database pages copied
	Bytes int64 // size of the copy
}

// Backup copies the database at src to the file dst with SQLite's online
// backup API. It is safe while a service writes to src: the copy is one
// consistent snapshot, read in a single step, and in WAL mode reading it
// holds up no writer (the WAL only grows meanwhile). The copy is written
// next to dst, checked (PRAGMA quick_check), synced and then renamed over
// dst, so dst is always either what it was or a whole, checked backup. It
// never creates src.
func Backup(ctx context.Context, src, dst string) (BackupResult, error) {
	if _, err := os.Stat(src); err != nil {
		return BackupResult{}, fmt.Errorf("database %s: %w", src, reason(err))
	}
	dir := filepath.Dir(dst)
	tmp, err := os.CreateTemp(dir, filepath.Base(dst)+".tmp-*")
	if err != nil {
		return BackupResult{}, fmt.Errorf("backup %s: cannot create a file in %s: %w", dst, dir, reason(err))
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // gone once renamed; removed if anything failed

	res, err := backupTo(ctx, src, tmp.Name())
	if err != nil {
		return BackupResult{}, fmt.Errorf("backup %s to %s: %w", src, dst, err)
	}
	if err := syncFile(tmp.Name()); err != nil {
		return BackupResult{}, fmt.Errorf("backup %s: %w", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return BackupResult{}, fmt.Errorf("backup %s: %w", dst, err)
	}
	// The rename itself; best effort, since not every system can sync a
	// directory (the file's own data is already on disk).
	_ = syncFile(dir)
	st, err := os.Stat(dst)
	if err != nil {
		return BackupResult{}, fmt.Errorf("backup %s: %w", dst, err)
	}
	res.Bytes = st.Size()
	return res, nil
}

// backupTo copies src into the empty database file dst and checks it.
func backupTo(ctx context.Context, src, dst string) (BackupResult, error) {
	d := &sqlite3.SQLiteDriver{}
	// mode=rw: a missing source is an error, never a new empty database.
	srcConn, err := openRaw(d, src, "rw")
	if err != nil {
		return BackupResult{}, fmt.Errorf("open %s: %w", src, err)
	}
	defer srcConn.Close()
	dstConn, err := openRaw(d, dst, "rwc")
	if err != nil {
		return BackupResult{}, fmt.Errorf("open %s: %w", dst, err)
	}
	defer dstConn.Close()

	b, err := dstConn.Backup("main", srcConn, "main")
	if err != nil {
		return BackupResult{}, err
	}
	// One step for the whole file: a backup taken in several steps starts
	// over whenever another process writes in between, which a busy
	// service always does.
	for {
		done, err := b.Step(-1)
		if err != nil {
			b.Finish()
			return BackupResult{}, err
		}
		if done {
			break
		}
		// The source was busy (e.g. a checkpoint); try again shortly.
		select {
		case <-ctx.Done():
			b.Finish()
			return BackupResult{}, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	res := BackupResult{Pages: b.PageCount()}
	if err := b.Finish(); err != nil {
		return BackupResult{}, err
	}
	if err := quickCheck(dstConn); err != nil {
		return BackupResult{}, err
	}
	return res, nil
}

func openRaw(d *sqlite3.SQLiteDriver, path, mode string) (*sqlite3.SQLiteConn, error) {
	q := url.Values{}
	q.Set("mode", mode)
	q.Set("_busy_timeout", "5000")
	c, err := d.Open("file:" + path + "?" + q.Encode())
	if err != nil {
		return nil, err
	}
	return c.(*sqlite3.SQLiteConn), nil
}

// quickCheck runs PRAGMA quick_check on the copy: a backup that cannot be
// read back is worse than none, because it is trusted.
func quickCheck(c *sqlite3.SQLiteConn) error {
	rows, err := c.Query("PRAGMA quick_check", nil)
	if err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	defer rows.Close()
	v := make([]driver.Value, 1)
	if err := rows.Next(v); err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	var got string
	switch s := v[0].(type) {
	case string:
		got = s
	case []byte:
		got = string(s)
	}
	if got != "ok" {
		return fmt.Errorf("check the copy: %v", v[0])
	}
	return nil
}

// syncFile flushes a file or a directory to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}
