// Package table reads the tables township staff keep in Excel: CSV files
// (UTF-8 with or without a BOM, or GBK/GB18030, which Excel on Chinese
// Windows writes for plain "CSV") and the first sheet of .xlsx workbooks.
// Every row keeps its position so that problems can be reported as
// FILE:LINE (CSV) or FILE:SHEET:ROW (.xlsx), and columns are found by name
// with variants (see Fold and Table.Find).
package table

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Pos is where a row is: a CSV line, or a sheet and row of a workbook.
type Pos struct {
	File  string
	Sheet string // "" for CSV
	Line  int    // CSV: the line the row starts on; .xlsx: the row number
}

// String renders FILE:LINE for CSV and FILE:SHEET:ROW for a workbook, the
// forms editors and staff both recognise.
func (p Pos) String() string {
	if p.Sheet != "" {
		return fmt.Sprintf("%s:%s:%d", p.File, p.Sheet, p.Line)
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Row is one row of cells as read, untrimmed, with its position.
type Row struct {
	Pos   Pos
	Cells []string
}

// Cell returns the trimmed value of column i, or "" when the row is shorter
// (spreadsheets drop trailing empty cells) or i is negative (a column that
// Find did not find).
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[i])
}

// Table is a header row and the non-blank rows below it. Blank rows,
// before the header too, are skipped.
type Table struct {
	File     string
	Sheet    string // the sheet read, "" for CSV
	Encoding string // the CSV text encoding found: "UTF-8" or "GB18030"; "" for .xlsx
	Header   Row
	Rows     []Row

	keys []string // folded header names, parallel to Header.Cells
}

// Error is a problem with the file at a position: malformed CSV, text in
// no known encoding, an empty file, a row of the wrong shape.
type Error struct {
	Pos    Pos
	Reason string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Reason }

// IsXLSX tells a workbook from CSV by the name, the only hint an upload
// carries.
func IsXLSX(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".xlsx")
}

// Open reads the table in a .csv or .xlsx file.
func Open(name string) (*Table, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(name, f)
}

// Read reads a table from r, as a workbook when name ends in .xlsx and as
// CSV otherwise; name is used in positions. A problem of the file's content
// is an *Error; anything else (I/O, a corrupt workbook) is a plain error.
func Read(name string, r io.Reader) (*Table, error) {
	var (
		t    *Table
		rows []Row
		err  error
	)
	if IsXLSX(name) {
		t, rows, err = readXLSX(name, r)
	} else {
		t, rows, err = readCSV(name, r)
	}
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		if blank(row.Cells) {
			continue
		}
		if t.keys == nil {
			t.setHeader(row)
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	if t.keys == nil {
		return nil, &Error{Pos{File: name, Sheet: t.Sheet, Line: 1}, "no header row: the file is empty"}
	}
	return t, nil
}

func (t *Table) setHeader(row Row) {
	t.Header = row
	t.keys = make([]string, len(row.Cells))
	for i, c := range row.Cells {
		t.keys[i] = Fold(c)
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// New makes a table from rows read some other way (JSON Lines, say), so
// that they are looked up and reported like a file's.
func New(header Row, rows []Row) *Table {
	t := &Table{File: header.Pos.File, Sheet: header.Pos.Sheet, Rows: rows}
	t.setHeader(header)
	return t
}
