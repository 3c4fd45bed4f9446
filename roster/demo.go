package roster

import (
	"embed"
	"fmt"
)

// demoFiles is the fictional roster used in local mode and the demo; a test
// guards that it stays valid.
//
//go:embed demo/villages.csv demo/staff.csv
var demoFiles embed.FS

// Demo returns a fresh copy of the embedded demo roster, so callers may
// modify it freely. It panics only if the embedded files are invalid.
func Demo() *Roster {
	const villages, staff = "demo/villages.csv", "demo/staff.csv"
	vf, err := demoFiles.Open(villages)
	if err != nil {
		panic(fmt.Sprintf("roster: embedded demo: %v", err))
	}
	defer vf.Close()
	sf, err := demoFiles.Open(staff)
	if err != nil {
		panic(fmt.Sprintf("roster: embedded demo: %v", err))
	}
	defer sf.Close()
	r, err := Parse(villages, vf, staff, sf)
	if err != nil {
		panic(fmt.Sprintf("roster: embedded demo is invalid:\n%v", err))
	}
	return r
}
