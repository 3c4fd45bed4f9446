package assets

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hotline/roster"
	"hotline/storage"
)

func TestImportKeepsStaffOfAVillagesOnlyRoster(t *testing.T) {
	ctx := context.Background()
	store, err := storage.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	first := &roster.Roster{
		Villages: []roster.Village{{Name: "翟各庄村", Area: "东片区"}, {Name: "梁家务村", Area: "西片区"}},
		Staff: []roster.Staff{
			{Name: "曾令发", TelegramID: 1, Role: roster.VillageCadre, Villages: []string{"翟各庄村"}},
			{Name: "王强", TelegramID: 2, Role: roster.VillageCadre, Villages: []string{"梁家务村"}},
			{Name: "周西", TelegramID: 3, Role: roster.AreaLeader, Area: "西片区"},
			{Name: "中心", TelegramID: 4, Role: roster.Center},
		},
	}
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	if err := Import(ctx, store, first, true, "first", now); err != nil {
		t.Fatal(err)
	}
	// 梁家务村 and 西片区 are gone: their cadre and leader go with them.
	villagesOnly := &roster.Roster{Villages: []roster.Village{{Name: "翟各庄村", Area: "东片区", Aliases: []string{"翟庄"}}}}
	if err := Import(ctx, store, villagesOnly, false, "second", now); err != nil {
		t.Fatal(err)
	}
	r, err := Load(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range r.Staff {
		names = append(names, s.Name)
	}
	if len(names) != 2 || names[0] != "曾令发" || names[1] != "中心" {
		t.Errorf("staff kept = %v", names)
	}
	if v, _ := r.Village("翟各庄村"); len(v.Aliases) != 1 {
		t.Errorf("villages not replaced: %+v", v)
	}
	// With staff, the staff file is the whole truth.
	if err := Import(ctx, store, &roster.Roster{Villages: villagesOnly.Villages, Staff: first.Staff[:1]}, true, "third", now); err != nil {
		t.Fatal(err)
	}
	if r, _ := Load(ctx, store); len(r.Staff) != 1 {
		t.Errorf("staff = %+v", r.Staff)
	}
}
