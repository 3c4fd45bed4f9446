package roster

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// table is one roster table as read from a file: its header and the non-empty
// rows below it, each with the line it came from so problems can point at it.
type table struct {
	file    string
	line    int            // line of the header row
	columns map[string]int // lower-cased column name → cell index
	rows    []record
}

// record is one row of cells with its line in the file (or row in the sheet).
type record struct {
	line  int
	cells []string
}

// cell returns the trimmed value of a column in a row, or "" when the column
// is absent or the row is short (spreadsheets drop trailing empty cells).
func (t *table) cell(r record, column string) string {
	i, ok := t.columns[column]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// require reports each missing column against the header line.
func (t *table) require(columns ...string) []Problem {
	var out []Problem
	for _, c := range columns {
		if _, ok := t.columns[c]; !ok {
			out = append(out, Problem{t.file, t.line, fmt.Sprintf("missing required column %q", c)})
		}
	}
	return out
}

// isXLSX tells the format from the name, the only hint an upload carries.
func isXLSX(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".xlsx")
}

// readTable reads a CSV or xlsx table. A table that cannot be read as rows at
// all comes back nil with the problem; I/O failures are plain errors.
func readTable(name string, r io.Reader) (*table, []Problem, error) {
	var (
		recs  []record
		probs []Problem
		err   error
	)
	if isXLSX(name) {
		recs, err = readXLSX(r)
	} else {
		recs, probs, err = readCSV(name, r)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}

	var t *table
	for _, rec := range recs {
		if blank(rec.cells) {
			continue
		}
		if t == nil {
			t, probs = newTable(name, rec)
			continue
		}
		t.rows = append(t.rows, rec)
	}
	if t == nil {
		return nil, []Problem{{name, 1, "no header row: the file is empty"}}, nil
	}
	return t, probs, nil
}

// newTable indexes the header. Unknown columns are kept in the index and simply
// never asked for, so extra spreadsheet columns (notes, units) do no harm.
func newTable(name string, header record) (*table, []Problem) {
	t := &table{file: name, line: header.line, columns: map[string]int{}}
	var probs []Problem
	for i, h := range header.cells {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if _, dup := t.columns[h]; dup {
			probs = append(probs, Problem{name, header.line, fmt.Sprintf("column %q appears twice", h)})
			continue
		}
		t.columns[h] = i
	}
	return t, probs
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readCSV reads UTF-8 CSV, dropping a BOM that Excel's "CSV UTF-8" writes.
// Malformed or non-UTF-8 text is a problem of the file, reported at the line
// where it starts; reading stops there because later lines cannot be trusted.
func readCSV(name string, r io.Reader) ([]record, []Problem, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		if _, err := br.Discard(3); err != nil {
			return nil, nil, err
		}
	}
	cr := csv.NewReader(br)
	// Ragged rows are fine (hand-edited files have them), but quoting stays
	// strict: a lazy reader lets one stray quote swallow the rest of the file
	// into a single cell, which hides the real mistake.
	cr.FieldsPerRecord = -1

	var recs []record
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return recs, nil, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, []Problem{{name, pe.StartLine, fmt.Sprintf("malformed CSV: %v", pe.Err)}}, nil
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		for _, c := range cells {
			if !utf8.ValidString(c) {
				// Excel on Chinese Windows saves plain "CSV" as GBK.
				return nil, []Problem{{name, line, `text is not UTF-8: save as "CSV UTF-8" or .xlsx`}}, nil
			}
		}
		recs = append(recs, record{line, cells})
	}
}

// readXLSX reads the first sheet of a workbook. Raw cell values are used so a
// number format (thousands separators, scientific notation) cannot change a
// household count or a Telegram id.
func readXLSX(r io.Reader) ([]record, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("workbook has no sheets")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var recs []record
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %q row %d: %w", sheets[0], line, err)
		}
		recs = append(recs, record{line, cells})
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheets[0], err)
	}
	return recs, nil
}
