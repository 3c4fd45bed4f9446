package roster

import (
	"errors"
	"fmt"
	"io"
	"unicode"

	"hotline/table"
)

// sheet is one roster table as read from a file: its header and the non-empty
// rows below it, each with the line it came from so problems can point at it.
type sheet struct {
	t       *table.Table
	file    string
	name    string         // the workbook sheet, "" for CSV
	line    int            // line of the header row
	columns map[string]int // contract column name → cell index
	rows    []record
}

// record is one row of cells with its line in the file (or row in the sheet).
type record struct {
	line int
	row  table.Row
}

// problem is a Problem at a line of this table.
func (s *sheet) problem(line int, reason string) Problem {
	return Problem{File: s.file, Sheet: s.name, Line: line, Reason: reason}
}

// cell returns the trimmed value of a column in a row, or "" when the column
// is absent or the row is short (spreadsheets drop trailing empty cells).
func (s *sheet) cell(r record, column string) string {
	i, ok := s.columns[column]
	if !ok {
		return ""
	}
	return r.row.Cell(i)
}

// require reports each missing column against the header line.
func (s *sheet) require(columns ...string) []Problem {
	var out []Problem
	for _, c := range columns {
		if _, ok := s.columns[c]; !ok {
			out = append(out, s.problem(s.line, fmt.Sprintf("missing required column %q", c)))
		}
	}
	return out
}

// readSheet reads a CSV or xlsx roster table whose columns are known by
// the contract names in columns (compared as table.Fold does, so "Telegram
// ID" is telegram_id). A table that cannot be read as rows at all comes back
// nil with the problem; I/O failures are plain errors. Rows whose cells do
// not line up with the header or hold control characters are reported
// and left out.
func readSheet(name string, r io.Reader, columns ...string) (*sheet, []Problem, error) {
	t, err := table.Read(name, r)
	if te, ok := errors.AsType[*table.Error](err); ok {
		return nil, []Problem{{File: te.Pos.File, Sheet: te.Pos.Sheet, Line: te.Pos.Line, Reason: te.Reason}}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	s := &sheet{t: t, file: name, name: t.Sheet, line: t.Header.Pos.Line, columns: map[string]int{}}
	var probs []Problem
	for _, d := range t.Duplicates() {
		probs = append(probs, s.problem(s.line, fmt.Sprintf("column %q appears twice", d)))
	}
	for _, c := range columns {
		if i, ok := t.Find(c); ok {
			s.columns[c] = i
		}
	}
	for _, row := range t.Rows {
		rec := record{row.Pos.Line, row}
		if e := t.CheckWidth(row); e != nil {
			probs = append(probs, s.problem(rec.line, e.Reason))
			continue
		}
		if p, bad := s.controlChars(rec); bad {
			probs = append(probs, p)
			continue
		}
		s.rows = append(s.rows, rec)
	}
	return s, probs, nil
}

// controlChars reports the first cell holding a NUL or another control
// character: such a name cannot be typed by a resident or shown in a
// message, and usually means a file pasted from another program.
func (s *sheet) controlChars(r record) (Problem, bool) {
	for i, c := range r.row.Cells {
		for _, ch := range c {
			if unicode.IsControl(ch) || ch == '\uFFFD' {
				col := fmt.Sprintf("column %d", i+1)
				if i < len(s.t.Header.Cells) {
					col = fmt.Sprintf("column %q", s.t.Header.Cells[i])
				}
				return s.problem(r.line, fmt.Sprintf("%s holds a control or unreadable character (%U); retype the cell", col, ch)), true
			}
		}
	}
	return Problem{}, false
}

// The contract's columns (shared/roster-format.md).
var (
	villageColumns = []string{"village", "area", "kind", "size", "aliases", "households"}
	staffColumns   = []string{"name", "telegram_id", "role", "village", "area", "department", "phone"}
)
