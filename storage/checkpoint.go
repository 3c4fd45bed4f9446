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

// checkpointer copies the WAL back into the database file off the
// writer's path, and keeps the WAL from growing for as long as intake
// lasts.
//
// A PASSIVE checkpoint on its own connection never blocks the writer or
// readers, but under steady intake the WAL never starts over: SQLite
// rewinds it only when a write transaction begins with every frame
// copied and no reader in it, and by then more commits have landed. So
// during 20,000 messages of intake the WAL grew past a gigabyte. Once it
// holds walLimit, the checkpointer therefore also runs a PASSIVE
// checkpoint on the writer connection, between two write transactions
// (the connection pool queues intake behind it): it copies only the few
// frames written since its own pass, nothing can be added meanwhile, so
// the next write transaction starts the WAL over (unless a reader is
// still in it; then the next tick tries again), and journal_size_limit
// cuts the file back. Neither waits for a reader, so no busy timeout can
// stall intake: a RESTART or TRUNCATE would hold the write lock while
// waiting for readers to leave.
type checkpointer struct {
	db     *sql.DB // its own connection
	writer *sql.DB
	stop   chan struct{}
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

const (
	checkpointEvery = 100 * time.Millisecond
	walLimit        = 16 << 20 // bytes of WAL at which it must start over
)

func startCheckpointer(db, writer *sql.DB, every time.Duration) *checkpointer {
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, writer: writer, stop: make(chan struct{})}
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

// checkpoint copies what it can, and once the WAL holds walLimit lets it
// start over. Busy is normal under load; the next tick catches up.
func (c *checkpointer) checkpoint(pageSize int) {
	var busy, frames, copied int
	if err := c.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		return
	}
	// Each frame is a page and a 24-byte header.
	if frames*(pageSize+24) >= walLimit {
		_, _ = c.writer.Exec("PRAGMA wal_checkpoint(PASSIVE)")
	}
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
