package roster

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"hotline/taxonomy"
)

// staffRow remembers where a person first appeared, for conflict messages.
type staffRow struct {
	line     int
	villages map[string]int // village → line a cadre was listed for it
}

// parseStaff validates staff.csv against the villages. villages is nil when
// the villages table could not be read at all; cross-checks are then skipped
// rather than flagging every cadre for a fault that is not in this file.
func parseStaff(t *sheet, villages *[]villageRow) ([]Staff, []Problem) {
	probs := t.require("name", "telegram_id", "role")
	if len(probs) > 0 {
		return nil, probs
	}
	bad := func(line int, format string, args ...any) {
		probs = append(probs, t.problem(line, fmt.Sprintf(format, args...)))
	}

	var (
		staff []Staff
		index = map[StaffID]int{} // telegram id → index in staff
		seen  []staffRow          // parallel to staff
	)
	for _, rec := range t.rows {
		s, ok := parseStaffRow(t, rec, villages, bad)
		if !ok {
			continue
		}
		i, known := index[s.TelegramID]
		if !known {
			index[s.TelegramID] = len(staff)
			staff = append(staff, s)
			row := staffRow{line: rec.line, villages: map[string]int{}}
			if s.Role == VillageCadre {
				row.villages[s.Villages[0]] = rec.line
			}
			seen = append(seen, row)
			continue
		}
		prev, first := &staff[i], seen[i]
		if prev.Name != s.Name || prev.Role != s.Role {
			bad(rec.line, "telegram_id %d is already %s (%s) on line %d", s.TelegramID, prev.Name, prev.Role, first.line)
			continue
		}
		// The same person on another row: a cadre covering one more village,
		// a department with more categories; anything else is a repeat.
		switch s.Role {
		case VillageCadre:
			v := s.Villages[0]
			if line, dup := first.villages[v]; dup {
				bad(rec.line, "village %q listed twice for %s (first on line %d)", v, s.Name, line)
				continue
			}
			first.villages[v] = rec.line
			prev.Villages = append(prev.Villages, v)
		case AreaLeader:
			if s.Area == prev.Area {
				bad(rec.line, "duplicate row (same as line %d)", first.line)
			} else {
				bad(rec.line, "%s already leads %q on line %d; an area_leader has one area", s.Name, prev.Area, first.line)
			}
			continue
		case Department:
			for _, c := range s.Departments {
				if !slices.Contains(prev.Departments, c) {
					prev.Departments = append(prev.Departments, c)
				}
			}
		default:
			bad(rec.line, "duplicate row (same as line %d)", first.line)
			continue
		}
		if prev.Phone == "" {
			prev.Phone = s.Phone
		}
	}
	return staff, probs
}

// parseStaffRow checks one row on its own and against the villages. It
// reports every problem of the row and says whether the row can be used.
func parseStaffRow(t *sheet, rec record, villages *[]villageRow, bad func(int, string, ...any)) (Staff, bool) {
	s := Staff{
		Name:  t.cell(rec, "name"),
		Role:  Role(strings.ToLower(t.cell(rec, "role"))),
		Phone: t.cell(rec, "phone"),
	}
	ok := true
	fail := func(format string, args ...any) {
		bad(rec.line, format, args...)
		ok = false
	}
	if s.Name == "" {
		fail("required cell name is empty")
	}
	switch id := t.cell(rec, "telegram_id"); {
	case id == "":
		fail("required cell telegram_id is empty")
	default:
		n, err := strconv.ParseInt(id, 10, 64)
		switch {
		case err != nil:
			fail("telegram_id %q is not a number", id)
		case n <= 0:
			fail("telegram_id %q is not positive", id)
		}
		s.TelegramID = StaffID(n)
	}

	switch s.Role {
	case "":
		fail("required cell role is empty")
	case VillageCadre:
		v := t.cell(rec, "village")
		switch {
		case v == "":
			fail("village_cadre without a village")
		case villages != nil && !hasVillage(*villages, v):
			if full := aliasOf(*villages, v); full != "" {
				fail("village %q is an alias; use the full name %q", v, full)
			} else {
				fail("village %q is not in the villages table", v)
			}
		}
		s.Villages = []string{v}
	case AreaLeader:
		s.Area = t.cell(rec, "area")
		switch {
		case s.Area == "":
			fail("area_leader without an area")
		case villages != nil && !hasArea(*villages, s.Area):
			fail("area %q has no village in the villages table", s.Area)
		}
	case Department:
		ids := splitList(t.cell(rec, "department"))
		if len(ids) == 0 {
			fail("department without categories in the department column")
		}
		for _, id := range ids {
			c := taxonomy.Category(strings.ToLower(id))
			switch {
			case !c.Valid():
				fail("unknown category %q in department", id)
			case !slices.Contains(s.Departments, c):
				s.Departments = append(s.Departments, c)
			}
		}
	case Center, Admin:
	default:
		fail("unknown role %q (want village_cadre, area_leader, department, center or admin)", s.Role)
	}
	return s, ok
}

func hasVillage(vs []villageRow, name string) bool {
	return slices.ContainsFunc(vs, func(v villageRow) bool { return v.Name == name })
}

func hasArea(vs []villageRow, area string) bool {
	return slices.ContainsFunc(vs, func(v villageRow) bool { return v.Area == area })
}

// aliasOf finds the village a short name stands for, to turn a rejection into
// a precise hint.
func aliasOf(vs []villageRow, alias string) string {
	for _, v := range vs {
		if slices.Contains(v.Aliases, alias) {
			return v.Name
		}
	}
	return ""
}
