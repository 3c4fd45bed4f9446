package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hotline/roster"
)

var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsAreIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	for i := 0; i < 2; i++ {
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var v int
		if err := db.write.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v < 1 {
			t.Fatalf("user_version = %d, %v", v, err)
		}
		var mode string
		if err := db.write.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal_mode = %q, %v", mode, err)
		}
		db.Close()
	}
}

func TestOpenBadPath(t *testing.T) {
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")); err == nil {
		t.Fatal("want error for a directory that does not exist")
	}
}

func TestClaimUpdateOnce(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if err := db.JournalUpdate(ctx, 42, []byte(`{"update_id":42}`), t0); err != nil {
		t.Fatal(err)
	}
	if err := db.JournalUpdate(ctx, 42, []byte(`{"update_id":42}`), t0); err != nil {
		t.Fatal("journalling a redelivery must not fail:", err)
	}
	ids, _, err := db.UnprocessedUpdates(ctx)
	if err != nil || len(ids) != 1 || ids[0] != 42 {
		t.Fatalf("unprocessed = %v, %v", ids, err)
	}
	claims := 0
	for i := 0; i < 3; i++ {
		err := db.Update(ctx, func(tx *Tx) error {
			ok, err := tx.ClaimUpdate(ctx, 42, t0)
			if ok {
				claims++
				_, err = tx.Enqueue(ctx, OutboxMessage{ChatID: 1, Text: "hi"}, t0)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if claims != 1 {
		t.Fatalf("claimed %d times, want 1", claims)
	}
	var n []OutboxMessage
	db.View(ctx, func(tx *Tx) error { n, err = tx.OutboxMessages(ctx, OutboxFilter{}); return err })
	if len(n) != 1 {
		t.Fatalf("outbox rows = %d, want 1", len(n))
	}
	if ids, _, _ := db.UnprocessedUpdates(ctx); len(ids) != 0 {
		t.Fatalf("still unprocessed: %v", ids)
	}
}

// A claim inside a failed transaction is rolled back: the redelivery is
// processed, so nothing is lost.
func TestClaimRolledBack(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ClaimUpdate(ctx, 7, t0); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	db.Update(ctx, func(tx *Tx) error {
		ok, err := tx.ClaimUpdate(ctx, 7, t0)
		if !ok || err != nil {
			t.Errorf("claim after rollback = %v, %v", ok, err)
		}
		return err
	})
}

func TestBlockedFailsPendingAndOptsOut(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.EnsureResident(ctx, 5, "王大妈", t0); err != nil {
			return err
		}
		if err := tx.MarkStarted(ctx, 5, t0); err != nil {
			return err
		}
		for _, m := range []OutboxMessage{{ChatID: 5, Text: "x"}, {ChatID: 6, Text: "y"}, {ChatID: 5, Text: "z", Lane: LaneCampaign}} {
			if _, err := tx.Enqueue(ctx, m, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Blocked(ctx, 5, t0); err != nil {
		t.Fatal(err)
	}
	db.View(ctx, func(tx *Tx) error {
		r, err := tx.Resident(ctx, 5)
		if err != nil || !r.OptedOut {
			t.Errorf("resident = %+v, %v", r, err)
		}
		if ok, _ := tx.Reachable(ctx, 5); ok {
			t.Error("blocked chat is reachable")
		}
		return nil
	})
	// Both lanes' rows of the chat fail; another chat's stay.
	if due, _ := db.Pending(ctx, LaneTicket, 0, 10); len(due) != 1 || due[0].ChatID != 6 {
		t.Errorf("pending tickets after block: %+v", due)
	}
	if due, _ := db.Pending(ctx, LaneCampaign, 0, 10); len(due) != 0 {
		t.Errorf("pending campaigns after block: %+v", due)
	}
	// Writing to the bot again makes the chat reachable again.
	db.Update(ctx, func(tx *Tx) error { return tx.TouchChat(ctx, 5, "王大妈", t0) })
	db.View(ctx, func(tx *Tx) error {
		if ok, _ := tx.Reachable(ctx, 5); !ok {
			t.Error("chat still unreachable after writing again")
		}
		return nil
	})
}

func TestRosterRoundTripAndAtomicReplace(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	db.View(ctx, func(tx *Tx) error {
		if _, ok, err := tx.Roster(ctx); ok || err != nil {
			t.Errorf("empty db has a roster: %v %v", ok, err)
		}
		return nil
	})
	demo := roster.Demo()
	if err := db.Update(ctx, func(tx *Tx) error { return tx.ReplaceRoster(ctx, demo, "demo", t0) }); err != nil {
		t.Fatal(err)
	}
	// A replace that fails half-way leaves the previous roster.
	bad := &roster.Roster{Villages: []roster.Village{{Name: "甲村", Area: "东"}, {Name: "甲村", Area: "东"}}}
	if err := db.Update(ctx, func(tx *Tx) error { return tx.ReplaceRoster(ctx, bad, "bad", t0) }); err == nil {
		t.Fatal("duplicate village name must fail the transaction")
	}
	db.View(ctx, func(tx *Tx) error {
		got, ok, err := tx.Roster(ctx)
		if err != nil || !ok {
			t.Fatalf("roster: %v %v", ok, err)
		}
		if len(got.Villages) != len(demo.Villages) || len(got.Staff) != len(demo.Staff) {
			t.Fatalf("roster = %d villages %d staff, want %d %d", len(got.Villages), len(got.Staff), len(demo.Villages), len(demo.Staff))
		}
		if got.Villages[0].Name != demo.Villages[0].Name || len(got.Villages[0].Aliases) != len(demo.Villages[0].Aliases) {
			t.Errorf("first village = %+v", got.Villages[0])
		}
		return nil
	})
}

func TestTicketNumbersPerYear(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var nums []string
	err := db.Update(ctx, func(tx *Tx) error {
		for _, at := range []time.Time{t0, t0, time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)} {
			tk := Ticket{Text: "x", Category: "other", Urgency: "low", State: "new", Source: "telegram", CreatedAt: at, AcceptBy: at, ResolveBy: at}
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
			nums = append(nums, tk.Number)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 2026-12-31 17:00 UTC is already 2027 in the township.
	want := []string{"2026-000001", "2026-000002", "2027-000001"}
	for i := range want {
		if nums[i] != want[i] {
			t.Errorf("numbers = %v, want %v", nums, want)
			break
		}
	}
}

func TestPendingTexts(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.EnsureResident(ctx, 9, "", t0); err != nil {
			return err
		}
		for _, s := range []string{"停水了", "快来看看"} {
			if err := tx.AddPendingText(ctx, 9, s, t0); err != nil {
				return err
			}
		}
		got, err := tx.TakePendingTexts(ctx, 9)
		if len(got) != 2 || got[0].Text != "停水了" || got[0].ID == 0 || !got[1].ReceivedAt.Equal(t0) {
			t.Errorf("pending = %v", got)
		}
		again, _ := tx.TakePendingTexts(ctx, 9)
		if len(again) != 0 {
			t.Errorf("taken twice: %v", again)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A failed attempt is counted; only updates that failed are offered for a
// retry, and a claimed one no longer is.
func TestFailedUpdates(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for _, id := range []int64{7, 8} {
		if err := db.JournalUpdate(ctx, id, []byte(`{}`), t0); err != nil {
			t.Fatal(err)
		}
	}
	fail := func(id int64) int {
		var n int
		if err := db.Update(ctx, func(tx *Tx) error {
			var err error
			n, err = tx.FailUpdate(ctx, id, "boom", t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if ids, _, err := db.FailedUpdates(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("failed before any failure = %v, %v", ids, err)
	}
	if a, b := fail(8), fail(8); a != 1 || b != 2 {
		t.Fatalf("attempts = %d, %d", a, b)
	}
	if ids, _, err := db.FailedUpdates(ctx); err != nil || len(ids) != 1 || ids[0] != 8 {
		t.Fatalf("failed = %v, %v", ids, err)
	}
	if ids, _, _ := db.UnprocessedUpdates(ctx); len(ids) != 2 {
		t.Fatalf("unprocessed = %v", ids)
	}
	if err := db.Update(ctx, func(tx *Tx) error { _, err := tx.ClaimUpdate(ctx, 8, t0); return err }); err != nil {
		t.Fatal(err)
	}
	if ids, _, _ := db.FailedUpdates(ctx); len(ids) != 0 {
		t.Fatalf("a claimed update is offered again: %v", ids)
	}
}

// Once processed, an update keeps only its id.
func TestClaimDropsTheRawUpdate(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if err := db.JournalUpdate(ctx, 9, []byte(`{"message":{"contact":{"phone_number":"13812345678"}}}`), t0); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *Tx) error { _, err := tx.ClaimUpdate(ctx, 9, t0); return err }); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := db.read.QueryRowContext(ctx, `SELECT raw FROM updates WHERE update_id = 9`).Scan(&raw); err != nil || raw != "" {
		t.Fatalf("raw = %q, %v", raw, err)
	}
	// A redelivery is still refused, and not journalled again.
	if err := db.JournalUpdate(ctx, 9, []byte(`{}`), t0); err != nil {
		t.Fatal(err)
	}
	if ids, _, _ := db.UnprocessedUpdates(ctx); len(ids) != 0 {
		t.Fatalf("unprocessed = %v", ids)
	}
}

// The writer leaves checkpoints to the checkpointer; Close folds the WAL
// back into the database file, and the data is all there on reopening.
func TestCloseCheckpointsTheWAL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		for i := 0; i < 500; i++ {
			if _, err := tx.Enqueue(ctx, OutboxMessage{ChatID: int64(i), Text: "通知"}, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var autockpt int
	if err := db.write.QueryRow("PRAGMA wal_autocheckpoint").Scan(&autockpt); err != nil || autockpt != 0 {
		t.Errorf("writer wal_autocheckpoint = %d, %v; want 0", autockpt, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("WAL is %d bytes after Close", fi.Size())
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if due, _ := db.Pending(ctx, LaneTicket, 0, 1000); len(due) != 500 {
		t.Errorf("%d rows after reopening, want 500", len(due))
	}
}
