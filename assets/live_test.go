package assets

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"hotline/intents"
	"hotline/roster"
	"hotline/storage"
)

func TestLiveFollowsImports(t *testing.T) {
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
	live, err := NewLive(ctx, store, func(g *intents.Gazetteer) intents.Classifier { return intents.NewEmbedded(model, g) },
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// No import yet: the demo roster.
	first := live.Assets()
	if _, ok := first.Roster.StaffByID(100000001); !ok {
		t.Fatal("demo roster not in force")
	}
	if swapped, err := live.reload(ctx, first.ImportID); err != nil || swapped {
		t.Fatalf("reload without a new import = %v, %v", swapped, err)
	}
	if live.Assets() != first {
		t.Fatal("a reload without a new import built new assets")
	}

	// A re-import with a new village and its cadre is picked up whole: the
	// router, the gazetteer and the classifier all see it.
	r := roster.Demo()
	r.Villages = append(r.Villages, roster.Village{Name: "新建村", Area: "东片区", Kind: "village", Size: "small"})
	r.Staff = append(r.Staff, roster.Staff{Name: "新干部", TelegramID: 100000099, Role: roster.VillageCadre, Villages: []string{"新建村"}})
	if err := store.Update(ctx, func(tx *storage.Tx) error { return tx.ReplaceRoster(ctx, r, "test", time.Now()) }); err != nil {
		t.Fatal(err)
	}
	if swapped, err := live.reload(ctx, first.ImportID); err != nil || !swapped {
		t.Fatalf("reload after import = %v, %v", swapped, err)
	}
	a := live.Assets()
	if h, err := a.Router.Route("roads", "新建村"); err != nil || h.TelegramID != 100000099 {
		t.Errorf("route in the new village = %+v, %v", h, err)
	}
	if name, ok := a.Gazetteer.Resolve("新建村"); !ok || name != "新建村" {
		t.Errorf("gazetteer does not know the new village: %q %v", name, ok)
	}
	res, err := a.Classifier.Classify(ctx, intents.Input{Text: "新建村的路灯坏了"})
	if err != nil || res.Village != "新建村" {
		t.Errorf("classifier does not know the new village: %+v, %v", res, err)
	}
	// The old snapshot is untouched: an update that took it keeps it whole.
	if _, ok := first.Roster.Village("新建村"); ok {
		t.Error("the snapshot in use changed under its holder")
	}
}
