package storage

import (
	"database/sql"
	"fmt"
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

// where is Contains as an SQL condition on the tickets table, with
// positional arguments.
func (s Scope) where() (string, []any) { return s.sql("", false) }

// reportWhere is " AND " Contains over the tickets aliased k, with named
// arguments, for the reports' queries, which name theirs.
func (s Scope) reportWhere() (string, []any) {
	c, args := s.sql("k", true)
	return " AND " + c, args
}

// sql is Contains as SQL over tickets (aliased alias, "" for none), with
// positional arguments or named ones (:scope_…).
func (s Scope) sql(alias string, named bool) (string, []any) {
	if s.All {
		return "1", nil
	}
	if alias != "" {
		alias += "."
	}
	var ors []string
	var args []any
	param := func(name string, v any) string {
		if named {
			args = append(args, sql.Named("scope_"+name, v))
			return ":scope_" + name
		}
		args = append(args, v)
		return "?"
	}
	in := func(col, prefix string, vals []string) {
		if len(vals) == 0 {
			return
		}
		ps := make([]string, len(vals))
		for i, v := range vals {
			ps[i] = param(fmt.Sprint(prefix, i), v)
		}
		ors = append(ors, alias+col+" IN ("+strings.Join(ps, ", ")+")")
	}
	if s.HandlerID != 0 {
		ors = append(ors, alias+"handler_id = "+param("handler", s.HandlerID))
	}
	if s.Area != "" {
		ors = append(ors, alias+"area = "+param("area", s.Area))
	}
	in("village", "v", s.Villages)
	cats := make([]string, len(s.Categories))
	for i, c := range s.Categories {
		cats[i] = string(c)
	}
	in("category", "c", cats)
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
