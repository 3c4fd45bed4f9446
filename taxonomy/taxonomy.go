// Package taxonomy holds the stable ids of the resident request contract
// (shared/taxonomy.md): categories and urgencies, with the Chinese names that
// residents and cadres see. Classifier output, routing keys and reports all
// use these ids.
package taxonomy

import "fmt"

// Category is what a request is about.
type Category string

// The categories, in the order of the contract.
const (
	Heating      Category = "heating"
	Power        Category = "power"
	Water        Category = "water"
	Sanitation   Category = "sanitation"
	Roads        Category = "roads"
	Pollution    Category = "pollution"
	Safety       Category = "safety"
	Dispute      Category = "dispute"
	Forestry     Category = "forestry"
	Construction Category = "construction"
	LandAgri     Category = "land_agri"
	Welfare      Category = "welfare"
	Health       Category = "health"
	CultureEdu   Category = "culture_edu"
	Enterprise   Category = "enterprise"
	Consultation Category = "consultation"
	Feedback     Category = "feedback"
	Other        Category = "other"
)

// Categories lists every category in contract order.
var Categories = []Category{
	Heating, Power, Water, Sanitation, Roads, Pollution, Safety, Dispute,
	Forestry, Construction, LandAgri, Welfare, Health, CultureEdu,
	Enterprise, Consultation, Feedback, Other,
}

var categoryNames = Names[Category]{
	Heating:      "供暖与煤改电",
	Power:        "用电与线路",
	Water:        "供排水与防汛",
	Sanitation:   "环境卫生",
	Roads:        "道路与照明",
	Pollution:    "扬尘噪声污染",
	Safety:       "安全隐患",
	Dispute:      "矛盾纠纷",
	Forestry:     "林业绿化",
	Construction: "违建与拆违",
	LandAgri:     "土地与农业",
	Welfare:      "民生保障",
	Health:       "医疗卫生",
	CultureEdu:   "文化教育",
	Enterprise:   "企业服务",
	Consultation: "政策咨询",
	Feedback:     "表扬建议",
	Other:        "其他",
}

// Valid reports whether c is one of the contract's ids.
func (c Category) Valid() bool { return categoryNames.Has(c) }

// Chinese is the name residents and cadres see.
func (c Category) Chinese() string { return categoryNames.Of(c) }

// ParseCategory accepts a contract id.
func ParseCategory(s string) (Category, error) {
	c := Category(s)
	if !c.Valid() {
		return "", fmt.Errorf("unknown category %q", s)
	}
	return c, nil
}

// Urgency says how fast a request must be handled.
type Urgency string

// The urgencies, most urgent first.
const (
	Urgent Urgency = "urgent"
	Normal Urgency = "normal"
	Low    Urgency = "low"
)

// Urgencies lists every urgency, most urgent first.
var Urgencies = []Urgency{Urgent, Normal, Low}

var urgencyNames = Names[Urgency]{Urgent: "紧急", Normal: "一般", Low: "咨询建议"}

// Valid reports whether u is one of the contract's ids.
func (u Urgency) Valid() bool { return urgencyNames.Has(u) }

// Chinese is the name residents and cadres see.
func (u Urgency) Chinese() string { return urgencyNames.Of(u) }

// Raise returns the next more urgent level (low→normal→urgent).
func (u Urgency) Raise() Urgency {
	switch u {
	case Low:
		return Normal
	default:
		return Urgent
	}
}

// ParseUrgency accepts a contract id.
func ParseUrgency(s string) (Urgency, error) {
	u := Urgency(s)
	if !u.Valid() {
		return "", fmt.Errorf("unknown urgency %q", s)
	}
	return u, nil
}
