// Package routing answers "who handles this ticket, who is above them, and
// by when". It is pure functions over the roster and the SLA policy.
package routing

import (
	"errors"
	"fmt"

	"hotline/roster"
	"hotline/taxonomy"
)

// Escalation levels: a ticket starts with its first handler and moves up.
const (
	LevelHandler = 0 // village cadre or department
	LevelLeader  = 1 // area leader of the ticket's 片区
	LevelCenter  = 2 // the township centre
)

// ErrNoHandler is returned when the roster has nobody to take a ticket,
// not even a centre.
var ErrNoHandler = errors.New("no handler in the roster")

// ErrTop is returned when a ticket is already at the top of the chain.
var ErrTop = errors.New("already at the township centre")

// Router routes over one roster snapshot.
type Router struct {
	roster *roster.Roster
}

// New returns a router over r.
func New(r *roster.Roster) *Router { return &Router{roster: r} }

// Roster is the roster this router uses.
func (rt *Router) Roster() *roster.Roster { return rt.roster }

// Route picks the first handler of a ticket: a department that lists the
// category, else the village's cadre, else the centre. "other" always goes
// to the centre, which triages.
func (rt *Router) Route(c taxonomy.Category, village string) (roster.Staff, error) {
	if c != taxonomy.Other {
		if deps := rt.roster.DepartmentsFor(c); len(deps) > 0 {
			return deps[0], nil
		}
		if cadres := rt.roster.CadresOf(village); len(cadres) > 0 {
			return cadres[0], nil
		}
	}
	return rt.center()
}

// LevelOf is the escalation level of a staff member's role.
func LevelOf(role roster.Role) int {
	switch role {
	case roster.AreaLeader:
		return LevelLeader
	case roster.Center, roster.Admin:
		return LevelCenter
	default:
		return LevelHandler
	}
}

// Escalate returns who is above the given level for a ticket in village:
// the village's area leader, then the centre. A level with nobody in the
// roster is skipped.
func (rt *Router) Escalate(level int, village string) (next roster.Staff, nextLevel int, err error) {
	if level >= LevelCenter {
		return roster.Staff{}, level, ErrTop
	}
	if level < LevelLeader {
		if v, ok := rt.roster.Village(village); ok {
			if leaders := rt.roster.LeadersOf(v.Area); len(leaders) > 0 {
				return leaders[0], LevelLeader, nil
			}
		}
	}
	c, err := rt.center()
	return c, LevelCenter, err
}

// Chain is everyone above the first handler for a ticket in village, in
// escalation order, for notices "who is above them".
func (rt *Router) Chain(village string) []roster.Staff {
	var out []roster.Staff
	level := LevelHandler
	for {
		next, l, err := rt.Escalate(level, village)
		if err != nil {
			return out
		}
		out = append(out, next)
		level = l
	}
}

// TransferTargets lists whom a ticket in village can be handed to: the
// departments, the cadres of the other villages, and the centre — each
// person once, excluding current.
func (rt *Router) TransferTargets(current roster.StaffID) []roster.Staff {
	var out []roster.Staff
	seen := map[roster.StaffID]bool{current: true}
	add := func(s roster.Staff) {
		if !seen[s.TelegramID] {
			seen[s.TelegramID] = true
			out = append(out, s)
		}
	}
	for _, s := range rt.roster.Staff {
		if s.Role == roster.Department {
			add(s)
		}
	}
	for _, s := range rt.roster.Staff {
		if s.Role == roster.VillageCadre {
			add(s)
		}
	}
	for _, s := range rt.roster.Centers() {
		add(s)
	}
	return out
}

func (rt *Router) center() (roster.Staff, error) {
	if cs := rt.roster.Centers(); len(cs) > 0 {
		return cs[0], nil
	}
	return roster.Staff{}, fmt.Errorf("route to the centre: %w", ErrNoHandler)
}
