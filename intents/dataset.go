package intents

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"hotline/table"
)

// Columns says which columns of a data file hold what.
type Columns struct {
	Text  []string // joined, in order, with a line break between them
	Label string
}

// CorpusColumns are the columns of the township's labelled JSON Lines
// (shared/bench/sample.jsonl).
var CorpusColumns = Columns{Text: []string{"text"}, Label: "category"}

// ReadExamples reads labelled examples from a .csv (UTF-8 or GBK/GB18030,
// as Excel saves it), .jsonl or .xlsx file (first sheet), or from every
// .jsonl file of a directory. Columns are found by name as table.Find
// does (case, width and spaces do not matter); id, urgency, village and
// resident_village are picked up when present. Rows whose text or label
// is empty are skipped; a file without the named columns is an error that
// lists the columns it has.
func ReadExamples(name string, cols Columns) ([]Example, error) {
	if len(cols.Text) == 0 || cols.Label == "" {
		return nil, errors.New("read examples: no text or label column given")
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("read examples: %w", err)
	}
	if st.IsDir() {
		return readDir(os.DirFS(name), ".", cols)
	}
	var t *table.Table
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".csv", ".xlsx":
		t, err = table.Open(name)
	case ".jsonl", ".json", ".ndjson":
		var raw []byte
		if raw, err = os.ReadFile(name); err == nil {
			t, err = jsonlTable(name, raw)
		}
	default:
		return nil, fmt.Errorf("read examples: %s: unsupported type %q (want .csv, .jsonl or .xlsx)", name, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("read examples: %w", err)
	}
	ex, err := toExamples(t, cols)
	if err != nil {
		return nil, fmt.Errorf("read examples: %s: %w", name, err)
	}
	return ex, nil
}

// readJSONLDir reads the corpus files of dir in an fs.FS.
func readJSONLDir(fsys fs.FS, dir string) ([]Example, error) {
	return readDir(fsys, dir, CorpusColumns)
}

func readDir(fsys fs.FS, dir string, cols Columns) ([]Example, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("read examples: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("read examples: no .jsonl files in %s", dir)
	}
	slices.Sort(names)
	var out []Example
	for _, n := range names {
		raw, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read examples: %w", err)
		}
		t, err := jsonlTable(n, raw)
		if err != nil {
			return nil, fmt.Errorf("read examples: %w", err)
		}
		ex, err := toExamples(t, cols)
		if err != nil {
			return nil, fmt.Errorf("read examples: %s: %w", n, err)
		}
		out = append(out, ex...)
	}
	return out, nil
}

// optionalColumns are read when a file has them.
var optionalColumns = []string{"id", "urgency", "village", "resident_village"}

func toExamples(t *table.Table, cols Columns) ([]Example, error) {
	if len(t.Rows) == 0 {
		return nil, nil
	}
	idx := map[string]int{}
	for _, c := range append(slices.Clone(cols.Text), cols.Label) {
		i, ok := t.Find(c)
		if !ok {
			return nil, fmt.Errorf("no column %q; the columns are: %s", c, strings.Join(t.Columns(), ", "))
		}
		idx[c] = i
	}
	for _, c := range optionalColumns {
		idx[c], _ = t.Find(c)
	}
	var out []Example
	for i, r := range t.Rows {
		var parts []string
		for _, c := range cols.Text {
			if v := r.Cell(idx[c]); v != "" {
				parts = append(parts, v)
			}
		}
		e := Example{
			ID:              r.Cell(idx["id"]),
			Text:            strings.Join(parts, "\n"),
			Label:           r.Cell(idx[cols.Label]),
			Urgency:         r.Cell(idx["urgency"]),
			Village:         r.Cell(idx["village"]),
			ResidentVillage: r.Cell(idx["resident_village"]),
		}
		if len(parts) > 1 {
			e.Fields = parts
		}
		if e.ID == "" {
			e.ID = strconv.Itoa(i + 1)
		}
		if e.Text == "" || e.Label == "" {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// jsonlTable reads JSON Lines, one object per line, as a table whose
// header is every key seen (lower-cased) in order of first appearance.
// Blank lines are skipped and a malformed line is an error naming it.
// Non-string values keep their JSON text. Text in GBK/GB18030 is decoded
// as table.Decode does.
func jsonlTable(name string, raw []byte) (*table.Table, error) {
	raw, _, err := table.Decode(name, raw)
	if err != nil {
		return nil, err
	}
	var rows []table.Row
	cols := map[string]int{} // key → column
	var header []string
	for n, line := range bytes.Split(raw, []byte("\n")) {
		b := bytes.TrimSpace(line)
		if len(b) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n+1, err)
		}
		keys := slices.Sorted(maps.Keys(obj)) // map order is random; columns must not be
		row := table.Row{Pos: table.Pos{File: name, Line: n + 1}, Cells: make([]string, len(header))}
		for _, k := range keys {
			v := obj[k]
			col, ok := cols[strings.ToLower(k)]
			if !ok {
				col = len(header)
				cols[strings.ToLower(k)] = col
				header = append(header, strings.ToLower(k))
			}
			for len(row.Cells) <= col {
				row.Cells = append(row.Cells, "")
			}
			var s string
			if json.Unmarshal(v, &s) == nil {
				row.Cells[col] = s
			} else if string(v) != "null" {
				row.Cells[col] = string(v)
			}
		}
		rows = append(rows, row)
	}
	return table.New(table.Row{Pos: table.Pos{File: name, Line: 1}, Cells: header}, rows), nil
}

// HeldOutShare is the share of the corpus kept out of training for
// evaluation, chosen by a hash of each example's id so that the split is
// the same on every machine and stable as files are added.
const HeldOutShare = 0.2

// SplitHeldOut separates the evaluation part of a corpus from the training
// part.
func SplitHeldOut(examples []Example) (train, heldOut []Example) {
	return splitByHash(examples, "heldout", HeldOutShare)
}

// splitByHash puts each example in the second part when the hash of salt
// and its id (its text when it has no id) falls below share.
func splitByHash(examples []Example, salt string, share float64) (rest, part []Example) {
	for _, e := range examples {
		key := e.ID
		if key == "" {
			key = e.Text
		}
		if hashShare(salt, key) < share {
			part = append(part, e)
		} else {
			rest = append(rest, e)
		}
	}
	return rest, part
}

// hashShare maps salt and key to [0,1) uniformly. FNV alone leaves the
// high bits of similar keys (cd-0201, cd-0202…) correlated, so its sum goes
// through the splitmix64 finaliser.
func hashShare(salt, key string) float64 {
	h := fnv.New64a()
	h.Write([]byte(salt))
	h.Write([]byte{0})
	h.Write([]byte(key))
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// SelectSplit keeps all examples ("all"), the training part ("train") or
// the held-out part ("heldout") of SplitHeldOut.
func SelectSplit(examples []Example, split string) ([]Example, error) {
	train, held := SplitHeldOut(examples)
	switch split {
	case "", "all":
		return examples, nil
	case "train":
		return train, nil
	case "heldout":
		return held, nil
	}
	return nil, fmt.Errorf("unknown split %q (want all, train or heldout)", split)
}
