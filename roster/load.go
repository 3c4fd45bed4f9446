package roster

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Load reads the villages and staff tables from files, each .csv or .xlsx.
// staffPath may be "" for a roster of villages only. A roster that breaks the
// rules comes back as *ValidationError listing every problem.
func Load(villagesPath, staffPath string) (*Roster, error) {
	paths := []string{villagesPath}
	if staffPath != "" {
		paths = append(paths, staffPath)
	}
	for _, p := range paths {
		if err := CheckFileType(p); err != nil {
			return nil, err
		}
	}

	vf, err := os.Open(villagesPath)
	if err != nil {
		return nil, fmt.Errorf("open villages: %w", err)
	}
	defer vf.Close()
	if staffPath == "" {
		return Parse(villagesPath, vf, "", nil)
	}
	sf, err := os.Open(staffPath)
	if err != nil {
		return nil, fmt.Errorf("open staff: %w", err)
	}
	defer sf.Close()
	return Parse(villagesPath, vf, staffPath, sf)
}

// CheckFileType refuses a roster file whose name ends in neither .csv nor
// .xlsx: Parse reads anything else as CSV.
func CheckFileType(name string) error {
	if ext := strings.ToLower(filepath.Ext(name)); ext != ".csv" && ext != ".xlsx" {
		return fmt.Errorf("roster file %s: unsupported type %q (want .csv or .xlsx)", name, ext)
	}
	return nil
}

// Parse reads the tables from readers, as CSV unless the name ends in .xlsx;
// the names appear in problems. staff may be nil for a roster of villages only.
func Parse(villagesName string, villages io.Reader, staffName string, staff io.Reader) (*Roster, error) {
	vt, vprobs, err := readSheet(villagesName, villages, villageColumns...)
	if err != nil {
		return nil, err
	}
	var vrows []villageRow
	if vt != nil {
		var more []Problem
		vrows, more = parseVillages(vt)
		vprobs = append(vprobs, more...)
	}

	var (
		people []Staff
		sprobs []Problem
	)
	if staff != nil {
		st, probs, err := readSheet(staffName, staff, staffColumns...)
		if err != nil {
			return nil, err
		}
		sprobs = probs
		if st != nil {
			var known *[]villageRow
			if vrows != nil {
				known = &vrows
			}
			var more []Problem
			people, more = parseStaff(st, known)
			sprobs = append(sprobs, more...)
		}
	}

	if len(vprobs)+len(sprobs) > 0 {
		return nil, &ValidationError{Problems: append(byLine(vprobs), byLine(sprobs)...)}
	}
	r := &Roster{Villages: make([]Village, len(vrows)), Staff: people}
	for i, v := range vrows {
		r.Villages[i] = v.Village
	}
	return r, nil
}

// byLine orders one file's problems top to bottom, the order staff fix them in.
func byLine(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return ps
}
