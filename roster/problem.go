package roster

import (
	"strings"

	"hotline/table"
)

// Problem is one reason a roster file is rejected, pointing at the line that
// needs fixing so staff can correct the spreadsheet without guessing.
type Problem struct {
	File   string
	Sheet  string // the workbook sheet; "" for CSV
	Line   int    // 1 is the header row; file-level problems use the header line too
	Reason string
}

// String renders the problem as "FILE:LINE: reason" (for a workbook
// "FILE:SHEET:ROW: reason"), the forms editors and staff both recognise.
func (p Problem) String() string {
	return table.Pos{File: p.File, Sheet: p.Sheet, Line: p.Line}.String() + ": " + p.Reason
}

// ValidationError rejects a roster as a whole. It lists every problem found,
// not just the first, so one round of edits can fix the file.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
