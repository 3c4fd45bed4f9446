package table

import (
	"fmt"
	"strings"
	"unicode"
)

// Fold is the form in which header names are compared: surrounding spaces,
// a BOM and a required-field star (*) dropped, full-width letters, digits
// and brackets made half-width, letters lower-cased, and spaces,
// underscores and hyphens inside removed. So "Telegram ID", "telegram_id"
// and "ＴＥＬＥＧＲＡＭ＿ＩＤ" all fold to "telegramid", and "*工单编号 "
// to "工单编号".
func Fold(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == 0x3000: // ideographic space
			r = ' '
		}
		switch {
		case r == '\uFEFF', r == '*', r == '_', r == '-', unicode.IsSpace(r):
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Find returns the index of the first header column whose name folds to
// one of names (each folded too), trying names in order: list the
// contract's name first and the variants people write after it, as in
// Find("id", "工单编号", "工单号", "编号"). It returns -1 and false when no
// column matches.
func (t *Table) Find(names ...string) (int, bool) {
	for _, n := range names {
		k := Fold(n)
		for i, h := range t.keys {
			if h != "" && h == k {
				return i, true
			}
		}
	}
	return -1, false
}

// Columns lists the header's non-empty names as written, for messages such
// as "no column "label"; the columns are: …".
func (t *Table) Columns() []string {
	var out []string
	for _, c := range t.Header.Cells {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// Duplicates lists the header names (as written) that fold to a name an
// earlier column already has: with two "village" columns, which one counts
// is a guess.
func (t *Table) Duplicates() []string {
	seen := map[string]bool{}
	var out []string
	for i, k := range t.keys {
		if k == "" {
			continue
		}
		if seen[k] {
			out = append(out, strings.TrimSpace(t.Header.Cells[i]))
		}
		seen[k] = true
	}
	return out
}

// CheckWidth reports a row whose cells do not line up with the header. In
// CSV every row must have as many cells as the header (more is allowed only
// when the extra cells are empty, as trailing commas leave them): one
// missing or extra comma shifts every later value into the wrong column,
// so a household count would become an alias. A workbook keeps cells in
// their columns, so there only a value under no header is reported.
func (t *Table) CheckWidth(r Row) *Error {
	width := len(t.Header.Cells)
	extra := false
	for i := width; i < len(r.Cells); i++ {
		if strings.TrimSpace(r.Cells[i]) != "" {
			extra = true
			break
		}
	}
	switch {
	case extra && t.Sheet != "":
		return &Error{r.Pos, "a value stands in a column with no header"}
	case extra:
		return &Error{r.Pos, rowWidthReason(len(r.Cells), width)}
	case t.Sheet == "" && len(r.Cells) < width:
		return &Error{r.Pos, rowWidthReason(len(r.Cells), width)}
	}
	return nil
}

func rowWidthReason(got, want int) string {
	return fmt.Sprintf("row has %d cells but the header has %d: a missing or extra comma shifts the values into the wrong columns", got, want)
}
