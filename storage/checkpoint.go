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
// connection, off the writer's path. A PASSIVE checkpoint never blocks the
// writer or readers; one that cannot finish is simply tried again.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

func startCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, stop: make(chan struct{})}
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
				// Busy is normal under load; the next tick catches up.
				_, _ = db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}()
	return c
}

// close stops the loop and truncates the WAL, leaving one tidy file.
func (c *checkpointer) close() error {
	c.once.Do(func() {
		close(c.stop)
		c.wg.Wait()
		_, err := c.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		c.err = errors.Join(err, c.db.Close())
	})
	return c.err
}
