package roster

import (
	"slices"

	"hotline/taxonomy"
)

// The roster is about a hundred rows, so lookups are linear scans: simpler
// than an index that every literal Roster would have to build.

// CadresOf lists the village cadres covering a village, in file order.
func (r *Roster) CadresOf(village string) []Staff {
	return r.filter(func(s Staff) bool {
		return s.Role == VillageCadre && slices.Contains(s.Villages, village)
	})
}

// LeadersOf lists the leaders of a 片区, in file order.
func (r *Roster) LeadersOf(area string) []Staff {
	return r.filter(func(s Staff) bool { return s.Role == AreaLeader && s.Area == area })
}

// DepartmentsFor lists the departments that handle a category, in file order.
func (r *Roster) DepartmentsFor(c taxonomy.Category) []Staff {
	return r.filter(func(s Staff) bool { return s.Role == Department && slices.Contains(s.Departments, c) })
}

// Centers lists the staff of the 市民诉求处置中心.
func (r *Roster) Centers() []Staff {
	return r.filter(func(s Staff) bool { return s.Role == Center })
}

// Admins lists the administrators.
func (r *Roster) Admins() []Staff {
	return r.filter(func(s Staff) bool { return s.Role == Admin })
}

func (r *Roster) filter(keep func(Staff) bool) []Staff {
	var out []Staff
	for _, s := range r.Staff {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}
