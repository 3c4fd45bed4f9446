package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hotline/roster"
	"hotline/taxonomy"
)

// ReplaceRoster replaces the roster in force with r, whole, in this
// transaction: a failure leaves the old roster untouched.
func (t *Tx) ReplaceRoster(ctx context.Context, r *roster.Roster, source string, now time.Time) error {
	if _, err := t.exec(ctx, "DELETE FROM villages"); err != nil {
		return fmt.Errorf("clear villages: %w", err)
	}
	if _, err := t.exec(ctx, "DELETE FROM staff"); err != nil {
		return fmt.Errorf("clear staff: %w", err)
	}
	for i, v := range r.Villages {
		_, err := t.exec(ctx, `INSERT INTO villages (name, area, kind, size, aliases, households, position)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			v.Name, v.Area, v.Kind, v.Size, strings.Join(v.Aliases, ";"), v.Households, i)
		if err != nil {
			return fmt.Errorf("insert village %s: %w", v.Name, err)
		}
	}
	for i, s := range r.Staff {
		deps := make([]string, len(s.Departments))
		for j, d := range s.Departments {
			deps[j] = string(d)
		}
		_, err := t.exec(ctx, `INSERT INTO staff (telegram_id, name, role, villages, area, departments, phone, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.TelegramID, s.Name, string(s.Role), strings.Join(s.Villages, ";"), s.Area, strings.Join(deps, ";"), s.Phone, i)
		if err != nil {
			return fmt.Errorf("insert staff %s: %w", s.Name, err)
		}
	}
	_, err := t.exec(ctx, `INSERT INTO roster_imports (imported_at, source, villages, staff) VALUES (?, ?, ?, ?)`,
		fmtTime(now), source, len(r.Villages), len(r.Staff))
	if err != nil {
		return fmt.Errorf("record import: %w", err)
	}
	return nil
}

// Roster reads the roster in force. ok is false when none was ever imported.
func (t *Tx) Roster(ctx context.Context) (r *roster.Roster, ok bool, err error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM roster_imports").Scan(&n); err != nil {
		return nil, false, fmt.Errorf("count imports: %w", err)
	}
	if n == 0 {
		return nil, false, nil
	}
	r = &roster.Roster{}
	rows, err := t.tx.QueryContext(ctx, `SELECT name, area, kind, size, aliases, households FROM villages ORDER BY position`)
	if err != nil {
		return nil, false, fmt.Errorf("read villages: %w", err)
	}
	for rows.Next() {
		var v roster.Village
		var aliases string
		if err := rows.Scan(&v.Name, &v.Area, &v.Kind, &v.Size, &aliases, &v.Households); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("read villages: %w", err)
		}
		v.Aliases = splitList(aliases)
		r.Villages = append(r.Villages, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read villages: %w", err)
	}
	rows, err = t.tx.QueryContext(ctx, `SELECT telegram_id, name, role, villages, area, departments, phone FROM staff ORDER BY position`)
	if err != nil {
		return nil, false, fmt.Errorf("read staff: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s roster.Staff
		var role, villages, deps string
		if err := rows.Scan(&s.TelegramID, &s.Name, &role, &villages, &s.Area, &deps, &s.Phone); err != nil {
			return nil, false, fmt.Errorf("read staff: %w", err)
		}
		s.Role = roster.Role(role)
		s.Villages = splitList(villages)
		for _, d := range splitList(deps) {
			s.Departments = append(s.Departments, taxonomy.Category(d))
		}
		r.Staff = append(r.Staff, s)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read staff: %w", err)
	}
	return r, true, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}
