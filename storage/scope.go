package storage

import (
	"slices"
	"strings"

	"hotline/roster"
	"hotline/taxonomy"
)

// Scope is a set of tickets described by who may see them: every ticket,
// or those handled by one staff member, in one 片区, in some villages or of
// some categories. Who gets which scope is decided in one place
// (tickets.ScopeOf); here is only what a scope means, once as a test on a
// ticket (Contains) and once as SQL for lists and counts (where). The two
// are side by side so that they are changed together, and a test keeps
// them in agreement.
type Scope struct {
	All        bool
	HandlerID  roster.StaffID      // 0: none
	Area       string              // "": none
	Villages   []string            // none when empty
	Categories []taxonomy.Category // none when empty
}

// Contains reports whether t is in the scope. The zero Scope contains
// nothing.
func (s Scope) Contains(t Ticket) bool {
	return s.All ||
		(s.HandlerID != 0 && t.HandlerID == s.HandlerID) ||
		(s.Area != "" && t.Area == s.Area) ||
		slices.Contains(s.Villages, t.Village) ||
		slices.Contains(s.Categories, t.Category)
}

// where is Contains as an SQL condition on the tickets table.
func (s Scope) where() (string, []any) {
	if s.All {
		return "1", nil
	}
	var ors []string
	var args []any
	if s.HandlerID != 0 {
		ors = append(ors, "handler_id = ?")
		args = append(args, s.HandlerID)
	}
	if s.Area != "" {
		ors = append(ors, "area = ?")
		args = append(args, s.Area)
	}
	if len(s.Villages) > 0 {
		ors = append(ors, "village IN ("+placeholders(len(s.Villages))+")")
		for _, v := range s.Villages {
			args = append(args, v)
		}
	}
	if len(s.Categories) > 0 {
		ors = append(ors, "category IN ("+placeholders(len(s.Categories))+")")
		for _, c := range s.Categories {
			args = append(args, c)
		}
	}
	if len(ors) == 0 {
		return "0", nil
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// placeholders is "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return "?" + strings.Repeat(", ?", n-1)
}
