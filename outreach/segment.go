package outreach

import (
	"fmt"
	"slices"
	"strings"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

// Segment selects residents: comma-separated terms that all must hold.
type Segment struct {
	raw   string
	terms []term
}

type term struct{ kind, value string }

// ParseSegment reads "all", "village:翟各庄村", "area:东片区", "tag:alone"
// and combinations such as "area:东片区,tag:electric_heating".
func ParseSegment(s string) (Segment, error) {
	seg := Segment{raw: strings.TrimSpace(s)}
	if seg.raw == "" {
		return Segment{}, fmt.Errorf("segment is empty (write \"all\" for every resident)")
	}
	for _, part := range strings.Split(strings.ReplaceAll(seg.raw, "，", ","), ",") {
		part = strings.TrimSpace(part)
		if part == "all" {
			continue
		}
		k, v, ok := strings.Cut(part, ":")
		if !ok {
			k, v, ok = strings.Cut(part, "：")
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok || v == "":
			return Segment{}, fmt.Errorf("segment %q: unknown term %q (want all, village:X, area:X or tag:X)", seg.raw, part)
		case k == "tag":
			if !slices.Contains(notice.TagQuestions, v) {
				return Segment{}, fmt.Errorf("segment %q: unknown tag %q (known: %s)", seg.raw, v, strings.Join(notice.TagQuestions, ", "))
			}
		case k != "village" && k != "area":
			return Segment{}, fmt.Errorf("segment %q: unknown term %q (want all, village:X, area:X or tag:X)", seg.raw, part)
		}
		seg.terms = append(seg.terms, term{k, v})
	}
	return seg, nil
}

// String is the segment as written.
func (s Segment) String() string { return s.raw }

// Area is the 片区 the segment is limited to, if any.
func (s Segment) Area() string {
	for _, t := range s.terms {
		if t.kind == "area" {
			return t.value
		}
	}
	return ""
}

// Villages are the villages the segment is limited to, if any.
func (s Segment) Villages() []string {
	var out []string
	for _, t := range s.terms {
		if t.kind == "village" {
			out = append(out, t.value)
		}
	}
	return out
}

// Check verifies that the villages and 片区 the segment names exist in r.
func (s Segment) Check(r *roster.Roster) error {
	for _, t := range s.terms {
		switch t.kind {
		case "village":
			if _, ok := r.Village(t.value); !ok {
				return fmt.Errorf("segment %q: village %q is not in the roster", s.raw, t.value)
			}
		case "area":
			if len(r.VillagesIn(t.value)) == 0 {
				return fmt.Errorf("segment %q: 片区 %q is not in the roster", s.raw, t.value)
			}
		}
	}
	return nil
}

// Matcher returns the segment's test for one resident against roster r.
func (s Segment) Matcher(r *roster.Roster) func(storage.Resident) bool {
	areaOf := map[string]string{}
	for _, v := range r.Villages {
		areaOf[v.Name] = v.Area
	}
	return func(res storage.Resident) bool {
		for _, t := range s.terms {
			switch t.kind {
			case "village":
				if res.Village != t.value {
					return false
				}
			case "area":
				if areaOf[res.Village] != t.value {
					return false
				}
			case "tag":
				if !res.HasTag(t.value) {
					return false
				}
			}
		}
		return true
	}
}
