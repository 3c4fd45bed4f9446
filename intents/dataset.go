package intents

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Columns says which columns of a data file hold what.
type Columns struct {
	Text  []string // joined, in order, with a line break between them
	Label string
}

// CorpusColumns are the columns of the township's labelled JSON Lines
// (shared/bench/sample.jsonl).
var CorpusColumns = Columns{Text: []string{"text"}, Label: "category"}

// ReadExamples reads labelled examples from a .csv, .jsonl or .xlsx file
// (first sheet), or from every .jsonl file of a directory. Columns id,
// urgency, village and resident_village are picked up when present. Rows
// whose text or label is empty are skipped; a file without the named
// columns is an error.
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
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read examples: %w", err)
	}
	defer f.Close()
	var rows []map[string]string
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".csv":
		rows, err = readCSVRows(f)
	case ".jsonl", ".json", ".ndjson":
		rows, err = readJSONLRows(f)
	case ".xlsx":
		rows, err = readXLSXRows(f)
	default:
		return nil, fmt.Errorf("read examples: %s: unsupported type %q (want .csv, .jsonl or .xlsx)", name, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("read examples: %s: %w", name, err)
	}
	ex, err := toExamples(rows, cols)
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
		f, err := fsys.Open(n)
		if err != nil {
			return nil, fmt.Errorf("read examples: %w", err)
		}
		rows, err := readJSONLRows(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read examples: %s: %w", n, err)
		}
		ex, err := toExamples(rows, cols)
		if err != nil {
			return nil, fmt.Errorf("read examples: %s: %w", n, err)
		}
		out = append(out, ex...)
	}
	return out, nil
}

func toExamples(rows []map[string]string, cols Columns) ([]Example, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	have := map[string]bool{}
	for _, r := range rows {
		for k := range r {
			have[k] = true
		}
	}
	for _, c := range append(slices.Clone(cols.Text), cols.Label) {
		if !have[c] {
			return nil, fmt.Errorf("no column %q", c)
		}
	}
	var out []Example
	for i, r := range rows {
		var parts []string
		for _, c := range cols.Text {
			if t := strings.TrimSpace(r[c]); t != "" {
				parts = append(parts, t)
			}
		}
		e := Example{
			ID:              r["id"],
			Text:            strings.Join(parts, "\n"),
			Label:           strings.TrimSpace(r[cols.Label]),
			Urgency:         strings.TrimSpace(r["urgency"]),
			Village:         strings.TrimSpace(r["village"]),
			ResidentVillage: strings.TrimSpace(r["resident_village"]),
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

func readCSVRows(r io.Reader) ([]map[string]string, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	return tableRows(recs), nil
}

func readXLSXRows(r io.Reader) ([]map[string]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("workbook has no sheets")
	}
	recs, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, err
	}
	return tableRows(recs), nil
}

// tableRows turns a header row and data rows into maps; header names are
// trimmed and lower-cased.
func tableRows(recs [][]string) []map[string]string {
	if len(recs) == 0 {
		return nil
	}
	header := make([]string, len(recs[0]))
	for i, h := range recs[0] {
		header[i] = strings.ToLower(strings.TrimSpace(h))
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, v := range rec {
			if i < len(header) && header[i] != "" {
				m[header[i]] = v
			}
		}
		rows = append(rows, m)
	}
	return rows
}

// readJSONLRows reads one object per line; blank lines are skipped and a
// malformed line is an error naming it. Non-string values keep their JSON
// text.
func readJSONLRows(r io.Reader) ([]map[string]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var rows []map[string]string
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		m := make(map[string]string, len(raw))
		for k, v := range raw {
			var s string
			if json.Unmarshal(v, &s) == nil {
				m[strings.ToLower(k)] = s
			} else if string(v) != "null" {
				m[strings.ToLower(k)] = string(v)
			}
		}
		rows = append(rows, m)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return rows, nil
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
