// Package roster holds who is responsible for what: the villages of the
// township and the staff who receive work (shared/roster-format.md). It parses
// and validates roster files; routing and the bot read the result.
package roster

import "hotline/taxonomy"

// Role is what a staff member does in the hotline.
type Role string

// Roles of shared/roster-format.md.
const (
	VillageCadre Role = "village_cadre" // 包村干部
	AreaLeader   Role = "area_leader"   // 包片领导
	Department   Role = "department"    // 专业力量
	Center       Role = "center"        // 市民诉求处置中心
	Admin        Role = "admin"
)

var roleNames = taxonomy.Names[Role]{
	VillageCadre: "包村干部",
	AreaLeader:   "包片领导",
	Department:   "专业部门",
	Center:       "市民诉求处置中心",
	Admin:        "管理员",
}

// Valid reports whether r is a role of the contract.
func (r Role) Valid() bool { return roleNames.Has(r) }

// Chinese is the role's name as staff and residents see it.
func (r Role) Chinese() string { return roleNames.Of(r) }

// Village is one village or community.
type Village struct {
	Name       string // full name: 翟各庄村
	Area       string // 片区: 东片区
	Kind       string // "village" or "community"
	Size       string // "large" or "small"
	Aliases    []string
	Households int
}

// Staff is one person who receives work. A cadre who covers several villages
// has one row per village in the file and one Staff here with all of them.
// StaffID is a staff member's numeric Telegram user id, the only thing
// that identifies them (and their private chat with the bot).
type StaffID int64

type Staff struct {
	Name        string
	TelegramID  StaffID
	Role        Role
	Villages    []string            // village_cadre
	Area        string              // area_leader
	Departments []taxonomy.Category // department
	Phone       string              // never shown to residents
}

// Roster is the roster in force.
type Roster struct {
	Villages []Village
	Staff    []Staff
}

// Village returns the village with the given full name.
func (r *Roster) Village(name string) (Village, bool) {
	for _, v := range r.Villages {
		if v.Name == name {
			return v, true
		}
	}
	return Village{}, false
}

// StaffByID returns the staff member with the given Telegram id.
func (r *Roster) StaffByID(id StaffID) (Staff, bool) {
	for _, s := range r.Staff {
		if s.TelegramID == id {
			return s, true
		}
	}
	return Staff{}, false
}

// Areas lists the 片区 in roster order, each once.
func (r *Roster) Areas() []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range r.Villages {
		if !seen[v.Area] {
			seen[v.Area] = true
			out = append(out, v.Area)
		}
	}
	return out
}

// VillagesIn lists the villages of one 片区 in roster order.
func (r *Roster) VillagesIn(area string) []Village {
	var out []Village
	for _, v := range r.Villages {
		if v.Area == area {
			out = append(out, v)
		}
	}
	return out
}
