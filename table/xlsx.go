package table

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads the first sheet of a workbook. Raw cell values are used so
// that a number format (thousands separators, scientific notation) cannot
// change a household count, a Telegram id or a work-order number.
func readXLSX(name string, r io.Reader) (*Table, []Row, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fmt.Errorf("read %s: %w", name, errors.New("workbook has no sheets"))
	}
	t := &Table{File: name, Sheet: sheets[0]}
	it, err := f.Rows(t.Sheet)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer it.Close()
	var rows []Row
	for n := 1; it.Next(); n++ {
		pos := Pos{File: name, Sheet: t.Sheet, Line: n}
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", pos, err)
		}
		rows = append(rows, Row{pos, cells})
	}
	if err := it.Error(); err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	return t, rows, nil
}
