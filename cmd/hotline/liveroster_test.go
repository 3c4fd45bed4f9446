package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hotline/intents"
	"hotline/roster"
	"hotline/storage"
)

func TestLiveRosterFollowsImports(t *testing.T) {
	ctx := context.Background()
	store, err := storage.Open(ctx, filepath.Join(t.TempDir(), "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	model, err := intents.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	live, err := newLiveRoster(ctx, store, model, nil, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	// No import yet: the demo roster.
	if _, ok := live.Roster().StaffByID(100000001); !ok {
		t.Fatal("demo roster not in force")
	}
	if swapped, err := live.reload(ctx, live.cur.Load().importID); err != nil || swapped {
		t.Fatalf("reload without a new import = %v, %v", swapped, err)
	}

	// A re-import with a new village and its cadre is picked up whole.
	r := roster.Demo()
	r.Villages = append(r.Villages, roster.Village{Name: "新建村", Area: "东片区", Kind: "village", Size: "small"})
	r.Staff = append(r.Staff, roster.Staff{Name: "新干部", TelegramID: 100000099, Role: roster.VillageCadre, Villages: []string{"新建村"}})
	if err := store.Update(ctx, func(tx *storage.Tx) error { return tx.ReplaceRoster(ctx, r, "test", time.Now()) }); err != nil {
		t.Fatal(err)
	}
	if swapped, err := live.reload(ctx, live.cur.Load().importID); err != nil || !swapped {
		t.Fatalf("reload after import = %v, %v", swapped, err)
	}
	if h, err := live.Router().Route("roads", "新建村"); err != nil || h.TelegramID != 100000099 {
		t.Errorf("route in the new village = %+v, %v", h, err)
	}
	res, err := live.Classify(ctx, intents.Input{Text: "新建村的路灯坏了"})
	if err != nil || res.Village != "新建村" {
		t.Errorf("classifier does not know the new village: %+v, %v", res, err)
	}
}
