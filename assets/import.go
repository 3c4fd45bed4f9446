package assets

import (
	"context"
	"time"

	"hotline/roster"
	"hotline/storage"
)

// Import makes r the roster in force, as read from source (the command
// line's files, the desk's upload). A roster of villages only keeps the
// staff in force whose villages and 片区 still exist, so that a township
// can fix a village's aliases without sending everybody again. Running
// services pick the new roster up at their next look (Live.Watch).
func Import(ctx context.Context, store *storage.DB, r *roster.Roster, withStaff bool, source string, now time.Time) error {
	return store.Update(ctx, func(tx *storage.Tx) error {
		if !withStaff {
			old, ok, err := tx.Roster(ctx)
			if err != nil {
				return err
			}
			if ok {
				r.Staff = keepStaff(old, r)
			}
		}
		return tx.ReplaceRoster(ctx, r, source, now)
	})
}

// keepStaff returns the staff of old whose villages and areas still exist in r.
func keepStaff(old, r *roster.Roster) []roster.Staff {
	var out []roster.Staff
	for _, s := range old.Staff {
		ok := true
		for _, v := range s.Villages {
			if _, found := r.Village(v); !found {
				ok = false
			}
		}
		if s.Role == roster.AreaLeader && len(r.VillagesIn(s.Area)) == 0 {
			ok = false
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}
