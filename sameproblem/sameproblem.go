// Package sameproblem tells whether two reports from one village, in one
// category, are very likely the same problem: ten neighbours reporting
// the same dark street light. Precision comes first, because a wrong merge
// hides a problem: two reports are the same only when they name the same
// thing and, for a thing at one spot, the same spot (or shared locations
// within 150 m); a problem in someone's own home is never merged.
package sameproblem

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"hotline/numerals"
)

// Report is what the matcher reads of a ticket.
type Report struct {
	things map[string]scope
	places []place
	home   bool // about the requester's own home
	loc    *latLon
	words  string // for conflicting symptoms
}

// At is r with the place the requester shared (WGS-84).
func (r Report) At(lat, lon float64) Report {
	r.loc = &latLon{lat, lon}
	return r
}

type latLon struct{ lat, lon float64 }

// NearbyMeters is how close two shared locations must be for the same
// problem.
const NearbyMeters = 150

var groupPattern = regexp.MustCompile(`([0-9一二三四五六七八九十]+)\s*(?:组|队|小组)`)

// Read analyses a report's words: the things it is about and the places
// it names.
func Read(text string) Report {
	r := Report{things: map[string]scope{}, words: text}
	for _, g := range scan(text, thingWords) {
		r.things[g.id] = g.scope
	}
	seen := map[place]bool{}
	add := func(p place) {
		if !seen[p] {
			seen[p] = true
			r.places = append(r.places, p)
		}
	}
	for _, p := range scan(text, placeWords) {
		add(p)
	}
	if strings.ContainsAny(text, "组队") { // the pattern is costly; most reports name no group
		for _, m := range groupPattern.FindAllStringSubmatch(text, -1) {
			add(place{"group", numeral(m[1])})
		}
	}
	r.home = containsAny(text, householdWords) && !containsAny(text, wideWords)
	return r
}

// Same reports whether a and b are very likely the same problem. Both are
// in the same village and category; the caller checks that.
func Same(a, b Report) bool {
	if a.home || b.home {
		return false
	}
	common, wideOnly := shared(a.things, b.things)
	if common == 0 || conflicting(a.words, b.words) {
		return false
	}
	if a.loc != nil && b.loc != nil {
		return distance(*a.loc, *b.loc) <= NearbyMeters
	}
	agree, conflict := comparePlaces(a.places, b.places)
	switch {
	case conflict:
		return false
	case len(a.places) > 0 && len(b.places) > 0:
		return agree
	}
	// At most one says where: enough for a village-wide fault (an outage
	// is the same outage wherever it is noticed), not for one at a spot.
	return wideOnly
}

// shared counts the things both reports name, and whether all of them
// reach the whole village. A household thing shared is no match.
func shared(a, b map[string]scope) (n int, wideOnly bool) {
	wideOnly = true
	for id, sc := range a {
		if _, ok := b[id]; !ok {
			continue
		}
		if sc == household {
			return 0, false
		}
		n++
		wideOnly = wideOnly && sc == wide
	}
	return n, wideOnly
}

// comparePlaces: agree when a kind of place both name has a value in
// common; conflict when a kind both name has none (east and west, 3组 and
// 5组) or when both name places but never the same kind.
func comparePlaces(a, b []place) (agree, conflict bool) {
	kinds := map[string]bool{}
	for _, p := range a {
		kinds[p.kind] = true
	}
	sharedKind := false
	for kind := range kinds {
		va, vb := values(a, kind), values(b, kind)
		if len(vb) == 0 {
			continue
		}
		sharedKind = true
		if intersects(va, vb) {
			agree = true
		} else {
			conflict = true
		}
	}
	if len(a) > 0 && len(b) > 0 && !sharedKind {
		conflict = true
	}
	return agree, conflict
}

func values(ps []place, kind string) []string {
	var out []string
	for _, p := range ps {
		if p.kind == kind {
			out = append(out, p.value)
		}
	}
	return out
}

func intersects(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// conflicting reports symptoms of one thing that exclude each other.
func conflicting(a, b string) bool {
	for _, c := range conflicts {
		aOn, aOff := containsAny(a, c[0]), containsAny(a, c[1])
		bOn, bOff := containsAny(b, c[0]), containsAny(b, c[1])
		if (aOn && !aOff && bOff && !bOn) || (aOff && !aOn && bOn && !bOff) {
			return true
		}
	}
	return false
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// distance is the great-circle distance in metres.
func distance(a, b latLon) float64 {
	const r = 6371000
	rad := math.Pi / 180
	dLat, dLon := (b.lat-a.lat)*rad, (b.lon-a.lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.lat*rad)*math.Cos(b.lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// numeral writes 3, 三 and 十三 alike, so that 3组 and 三组 are one
// place; what is not a number is kept as written.
func numeral(s string) string {
	if n, ok := numerals.Parse(s); ok {
		return strconv.Itoa(n)
	}
	return s
}
