// Package storage is the only package that speaks SQL. It keeps the hotline's
// state in one SQLite file: the roster, residents, tickets with their event
// history, the outbox of messages to send and the journal of inbound updates.
// Migrations are embedded and applied at open; all SQL is parameterised.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrDuplicate is returned when a row would repeat one that must be
// unique (a 12345 order's number).
var ErrDuplicate = errors.New("already exists")

// unique wraps a unique-constraint violation as ErrDuplicate.
func unique(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
		return fmt.Errorf("%w: %v", ErrDuplicate, err)
	}
	return err
}

// DB is the hotline's database. Writes go through one connection, so
// writers queue in Go instead of failing with "database is locked"; reads use
// a separate pool and see the last committed state (WAL).
type DB struct {
	write *sql.DB
	read  *sql.DB
	path  string
	ckpt  *checkpointer
	group groupCommit // UpdateShared's queue

	// tempOnDisk says where the writer keeps its temporary files (see
	// tempInMemory). Every writer connection applies it when it opens:
	// database/sql replaces the connection after a transaction whose
	// context ended, and a PRAGMA set once would be lost with it.
	tempOnDisk atomic.Bool
}

// Open opens (creating if needed) the database at path and applies pending
// migrations. path ":memory:" is not supported (two pools must share a
// file); tests use a file in t.TempDir(). Its errors name the path.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, math.MaxInt)
}

// open opens the database with the migrations up to version upTo applied
// (tests of a migration stop before it).
func open(ctx context.Context, path string, upTo int) (*DB, error) {
	if err := CheckPath(path); err != nil {
		return nil, err
	}
	dsn := func(txlock string, extra string) string {
		q := url.Values{}
		q.Set("_journal_mode", "WAL")
		q.Set("_busy_timeout", "5000")
		q.Set("_foreign_keys", "on")
		q.Set("_synchronous", "NORMAL")
		q.Set("_txlock", txlock)
		// Reusing prepared statements halves the cost of a short transaction.
		q.Set("_stmt_cache_size", "64")
		return "file:" + path + "?" + q.Encode() + extra
	}
	db := &DB{path: path}
	db.tempOnDisk.Store(true) // until the migrations and the rollup's recount are done

	// The writer never checkpoints on commit: a checkpoint fsyncs, and
	// doing it inside a commit would stall the intake path. The
	// checkpointer does it beside (see checkpointer). When the WAL starts
	// over, it is cut back to walLimit.
	w := sql.OpenDB(connector{dsn: dsn("immediate", ""), driver: &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			if _, err := c.Exec(fmt.Sprintf("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = %d; PRAGMA temp_store = %s",
				walLimit, tempStore(!db.tempOnDisk.Load())), nil); err != nil {
				return err
			}
			return registerFuncs(c)
		},
	}})
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	// A reader's page cache is 4 MB: at a million tickets 16 MB made no
	// report faster (the OS caches the file too), and four readers busy at
	// once took serve's memory from about 110 MB to 175 MB.
	r := sql.OpenDB(connector{dsn: dsn("deferred", "&mode=ro&_cache_size=-4000"), driver: &sqlite3.SQLiteDriver{ConnectHook: registerFuncs}})
	r.SetMaxOpenConns(4)
	db.write, db.read = w, r
	if err := db.migrate(ctx, upTo); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	c, err := sql.Open("sqlite3", dsn("deferred", ""))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.ckpt = startCheckpointer(c, w, checkpointEvery)
	if upTo >= rollupVersion {
		if _, err := db.rebuildRollup(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	if err := db.tempInMemory(ctx, true); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return db, nil
}

// tempInMemory keeps the writer's temporary files in memory, or not.
//
// In memory in normal running: a shared transaction (UpdateShared) runs
// each caller in a savepoint, whose journal keeps every page the caller
// first touches, and past 64 KB SQLite spills it to a temporary file,
// which cost more than sharing the commit saved. The writer's other
// temporary data is small then. Not while it sorts a whole table (building
// an index in a migration, recounting the rollup): that would take as
// much memory as the table. Reports sort through the reader pool, which
// keeps the default.
func (db *DB) tempInMemory(ctx context.Context, on bool) error {
	store := tempStore(on)
	if _, err := db.write.ExecContext(ctx, "PRAGMA temp_store = "+store); err != nil {
		return fmt.Errorf("temp_store %s: %w", store, err)
	}
	db.tempOnDisk.Store(!on) // for a writer connection opened from now on
	return nil
}

// tempStore is PRAGMA temp_store's value for temporary files in memory,
// or not.
func tempStore(inMemory bool) string {
	if inMemory {
		return "MEMORY"
	}
	return "FILE"
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// Close stops the checkpointer, folds the WAL into the database file and
// closes the pools.
func (db *DB) Close() error {
	var errs []error
	if db.ckpt != nil {
		errs = append(errs, db.ckpt.close())
	}
	return errors.Join(append(errs, db.write.Close(), db.read.Close())...)
}

// Tx is one transaction. Its methods are the hotline's queries.
type Tx struct {
	tx    *sql.Tx
	after []func() // run once the transaction has committed
	// open holds the tickets this transaction read or wrote while they
	// were open: not in the reports' rollup, so saving one takes nothing
	// out of it (see SaveTicket). A ticket's state changes only through
	// SaveTicket, which keeps it; an undone savepoint empties it.
	open map[TicketID]bool
}

// AfterCommit runs fn after the transaction commits, and never if it rolls
// back (or the savepoint fn was registered in is undone): logs and metrics
// must not report a change that did not happen.
func (t *Tx) AfterCommit(fn func()) { t.after = append(t.after, fn) }

// Update runs fn in a write transaction and commits if fn returns nil.
// Keep fn short: it holds the only write connection.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &Tx{tx: tx}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range t.after {
		f()
	}
	return nil
}

// View runs fn in a read-only transaction that sees one consistent snapshot.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(&Tx{tx: tx})
}

func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, query, args...)
}

// timeFormat sorts as text in time order, so SQL can compare timestamps.
const timeFormat = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, err := time.Parse(timeFormat, s.String)
	if err != nil {
		return time.Time{}
	}
	return t
}

// scanner is a row being read: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// querier runs queries: a transaction or a pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryTime reads the one timestamp query selects; ok is false when it
// finds no row. what names the read in errors.
func queryTime(ctx context.Context, tx *sql.Tx, what, query string, args ...any) (at time.Time, ok bool, err error) {
	var s sql.NullString
	err = tx.QueryRowContext(ctx, query, args...).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%s: %w", what, err)
	}
	return parseTime(s), true, nil
}

// queryAll runs query and reads every row with scan. what names the read
// in errors.
func queryAll[T any](ctx context.Context, q querier, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
