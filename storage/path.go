package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckPath tells, naming the path and the real reason, why a database at
// path could not be opened for writing: a directory that does not exist or
// is a file, a database file that cannot be read and written, or a
// directory in which SQLite cannot create its -wal and -shm files. SQLite
// itself says only "unable to open database file", without the path. It
// leaves nothing behind.
func CheckPath(path string) error {
	if path == "" {
		return errors.New("no database path given")
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("database %s: directory %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("database %s: directory %s: %w", path, dir, reason(err))
	case !st.IsDir():
		return fmt.Errorf("database %s: %s is not a directory", path, dir)
	}
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("database %s is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("database %s cannot be opened for reading and writing: %w", path, reason(err))
		}
		f.Close()
	}
	probe, err := os.CreateTemp(dir, ".hotline-check-*")
	if err != nil {
		return fmt.Errorf("database %s: cannot create files in %s (the database and its -wal and -shm files live there): %w", path, dir, reason(err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// reason is the operating system's reason without the path and operation
// it wraps, for messages that name the path themselves.
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
