package table

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Encodings of CSV text.
const (
	UTF8    = "UTF-8"
	GB18030 = "GB18030" // a superset of GBK and GB2312
)

// maxCSVBytes bounds a CSV file read whole; rosters and work-order exports
// are far smaller.
const maxCSVBytes = 256 << 20

// readCSV reads CSV text, finding its encoding first. Quoting stays
// strict: a lazy reader lets one stray quote swallow the rest of the file
// into a single cell, which hides the real mistake.
func readCSV(name string, r io.Reader) (*Table, []Row, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxCSVBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(raw) > maxCSVBytes {
		return nil, nil, fmt.Errorf("read %s: larger than %d MB", name, maxCSVBytes>>20)
	}
	text, enc, err := Decode(name, raw)
	if err != nil {
		return nil, nil, err
	}
	t := &Table{File: name, Encoding: enc}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1 // widths are checked against the header by CheckWidth
	var rows []Row
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return t, rows, nil
		}
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			return nil, nil, &Error{Pos{File: name, Line: pe.StartLine}, fmt.Sprintf("malformed CSV: %v", pe.Err)}
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, Row{Pos{File: name, Line: line}, cells})
	}
}

// Decode returns a text file's content as UTF-8 without a BOM, and the
// encoding it was in. Text that is not valid UTF-8 is read as GB18030 (of
// which GBK is a subset) when every byte decodes; otherwise it is refused
// with an *Error at the first line that is neither. name is used in the
// error only.
func Decode(name string, raw []byte) ([]byte, string, error) {
	raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
	if utf8.Valid(raw) {
		return raw, UTF8, nil
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err == nil && !bytes.ContainsRune(text, utf8.RuneError) {
		return text, GB18030, nil
	}
	return nil, "", &Error{Pos{File: name, Line: firstInvalidLine(raw)},
		`text is neither UTF-8 nor GBK/GB18030: save it as "CSV UTF-8" or .xlsx`}
}

// firstInvalidLine is the line of the first byte that is not UTF-8.
func firstInvalidLine(raw []byte) int {
	line := 1
	for len(raw) > 0 {
		r, n := utf8.DecodeRune(raw)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		raw = raw[n:]
	}
	return line
}
