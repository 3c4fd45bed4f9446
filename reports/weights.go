package reports

import (
	"fmt"
	"strconv"
	"strings"
)

// Weights say how much each of the four 12345 rates counts in the score,
// in points, and how much credit 部分解决 and 基本满意 earn. The defaults are
// the district's: response 30, resolution 35, satisfaction 35. 先行联系 is
// shown beside them with weight 0: under the 12345 rules, phoning the
// requester first is what 响应 (response) is judged on, so a township that
// wants it to count apart gives it points (for example
// response=15,contact=15), since counting it also inside response would
// count it twice.
type Weights struct {
	Contact, Response, Resolution, Satisfaction float64 // points
	Partly                                      float64 // credit of 部分解决 in the resolution rate, 0..1
	Basic                                       float64 // credit of 基本满意 in the satisfaction rate, 0..1
}

// DefaultWeights are response 30, resolution 35, satisfaction 35,
// contact 0; 部分解决 earns half, 基本满意 four fifths.
func DefaultWeights() Weights {
	return Weights{Response: 30, Resolution: 35, Satisfaction: 35, Partly: 0.5, Basic: 0.8}
}

// ParseWeights reads "response=30,resolution=35,satisfaction=35,contact=0,
// partly=0.5,basic=0.8"; names left out keep their defaults ("" is the
// defaults). Points may not be negative nor all zero; credits are 0..1.
func ParseWeights(s string) (Weights, error) {
	w := DefaultWeights()
	fields := map[string]*float64{
		"contact": &w.Contact, "response": &w.Response, "resolution": &w.Resolution, "satisfaction": &w.Satisfaction,
		"partly": &w.Partly, "basic": &w.Basic,
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, val, ok := strings.Cut(part, "=")
		dst, known := fields[strings.TrimSpace(name)]
		if !ok || !known {
			return w, fmt.Errorf("weights %q: want name=number with names contact, response, resolution, satisfaction, partly, basic", part)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || v < 0 {
			return w, fmt.Errorf("weights %q: want a number ≥ 0", part)
		}
		*dst = v
	}
	switch {
	case w.Contact+w.Response+w.Resolution+w.Satisfaction == 0:
		return w, fmt.Errorf("weights %q: the four rates weigh nothing", s)
	case w.Partly > 1 || w.Basic > 1:
		return w, fmt.Errorf("weights %q: partly and basic are credits between 0 and 1", s)
	}
	return w, nil
}

// String writes w as ParseWeights reads it.
func (w Weights) String() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return fmt.Sprintf("response=%s,resolution=%s,satisfaction=%s,contact=%s,partly=%s,basic=%s",
		f(w.Response), f(w.Resolution), f(w.Satisfaction), f(w.Contact), f(w.Partly), f(w.Basic))
}
