package roster

import (
	"fmt"
	"strconv"
	"strings"
)

// Kinds and sizes of villages.csv.
const (
	KindVillage   = "village"
	KindCommunity = "community"
	SizeLarge     = "large"
	SizeSmall     = "small"
)

// villageRow is a parsed village with the line it came from, kept until the
// alias check, which needs every row before it can judge any one.
type villageRow struct {
	Village
	line int
}

// parseVillages validates villages.csv. It returns every village that has a
// name (even one with other problems) so staff rows naming it are not also
// rejected; the caller discards the lot if there are any problems.
func parseVillages(t *sheet) ([]villageRow, []Problem) {
	probs := t.require("village", "area")
	if len(probs) > 0 {
		return nil, probs
	}
	if len(t.t.Rows) == 0 {
		return nil, []Problem{t.problem(t.line, "no villages below the header")}
	}
	bad := func(line int, format string, args ...any) {
		probs = append(probs, t.problem(line, fmt.Sprintf(format, args...)))
	}

	var rows []villageRow
	first := map[string]int{} // name → line
	for _, rec := range t.rows {
		v := Village{
			Name:    t.cell(rec, "village"),
			Area:    t.cell(rec, "area"),
			Kind:    strings.ToLower(t.cell(rec, "kind")),
			Size:    strings.ToLower(t.cell(rec, "size")),
			Aliases: splitList(t.cell(rec, "aliases")),
		}
		if v.Name == "" {
			bad(rec.line, "required cell village is empty")
		}
		if v.Area == "" {
			bad(rec.line, "required cell area is empty")
		}
		switch v.Kind {
		case "":
			v.Kind = KindVillage
		case KindVillage, KindCommunity:
		default:
			bad(rec.line, "unknown kind %q (want village or community)", v.Kind)
		}
		switch v.Size {
		case "":
			v.Size = SizeSmall
		case SizeLarge, SizeSmall:
		default:
			bad(rec.line, "unknown size %q (want large or small)", v.Size)
		}
		if h := t.cell(rec, "households"); h != "" {
			n, err := strconv.Atoi(h)
			if err != nil || n < 0 {
				bad(rec.line, "households %q is not a whole number (0 or more)", h)
			}
			v.Households = n
		}
		if v.Name == "" {
			continue
		}
		if line, dup := first[v.Name]; dup {
			bad(rec.line, "duplicate village %q (first on line %d)", v.Name, line)
			continue
		}
		first[v.Name] = rec.line
		rows = append(rows, villageRow{v, rec.line})
	}
	return rows, append(probs, checkAliases(t, rows, first)...)
}

// checkAliases drops aliases that repeat their own village's name and rejects
// any that another village already answers to: a resident's "翟庄" must lead
// to exactly one village.
func checkAliases(t *sheet, rows []villageRow, names map[string]int) []Problem {
	var probs []Problem
	owner := map[string]int{} // alias → index in rows
	for i := range rows {
		v := &rows[i].Village
		var kept []string
		for _, a := range v.Aliases {
			switch line, isName := names[a]; {
			case a == v.Name:
				continue
			case isName:
				probs = append(probs, t.problem(rows[i].line,
					fmt.Sprintf("alias %q clashes with village %q (line %d)", a, a, line)))
				continue
			}
			j, taken := owner[a]
			switch {
			case taken && j == i:
				continue // listed twice in one cell: harmless
			case taken:
				probs = append(probs, t.problem(rows[i].line,
					fmt.Sprintf("alias %q clashes with an alias of village %q (line %d)", a, rows[j].Name, rows[j].line)))
				continue
			}
			owner[a] = i
			kept = append(kept, a)
		}
		v.Aliases = kept
	}
	return probs
}

// splitList splits a cell on ASCII or full-width semicolons, which Chinese
// input methods produce interchangeably, and drops empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
