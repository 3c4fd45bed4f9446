package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"time"
)

// connector opens connections of one driver value, so the writer pool can
// carry a ConnectHook without registering a global driver name.
type connector struct {
	dsn    string
	driver driver.Driver
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.driver }

// checkpointer copies the WAL back into the database file on its own
// connection, off the writer's path.
//
// A PASSIVE checkpoint never blocks the writer or readers, but under
// steady intake it never lets the WAL start over: SQLite rewinds the WAL
// only when a writer finds every frame copied and no reader still in it,
// and some commit always lands in between. So the WAL would grow for as
// long as intake lasts. Once it passes walLimit, a TRUNCATE checkpoint
// waits (briefly: its connection's busy timeout is checkpointWait) for the
// writer and readers to step aside, copies the few frames PASSIVE left,
// and empties the file. One that cannot finish in time gives up and is
// tried again on the next tick; intake waits at most that long.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

const (
	checkpointEvery = 250 * time.Millisecond
	checkpointWait  = 100 * time.Millisecond // the checkpoint connection's busy timeout
	walLimit        = 16 << 20               // bytes of WAL before a TRUNCATE checkpoint
)

func startCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, stop: make(chan struct{})}
	var pageSize int
	if err := db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil || pageSize <= 0 {
		pageSize = 4096
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				c.checkpoint(pageSize)
			}
		}
	}()
	return c
}

// checkpoint copies what it can and empties a WAL grown past walLimit.
// Busy is normal under load; the next tick catches up.
func (c *checkpointer) checkpoint(pageSize int) {
	var busy, frames, copied int
	if err := c.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		return
	}
	// Each frame is a page and a 24-byte header.
	if frames*(pageSize+24) >= walLimit {
		_, _ = c.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
}

// close stops the loop and truncates the WAL, leaving one tidy file.
func (c *checkpointer) close() error {
	c.once.Do(func() {
		close(c.stop)
		c.wg.Wait()
		_, err := c.db.Exec("PRAGMA busy_timeout = 5000")
		if err == nil {
			_, err = c.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		}
		c.err = errors.Join(err, c.db.Close())
	})
	return c.err
}
