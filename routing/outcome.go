package routing

import (
	"fmt"

	"hotline/taxonomy"
)

// Outcome is what the handler says became of the problem when resolving a
// ticket: the 12345 platform's 是否解决.
type Outcome string

// Outcomes of a resolution.
const (
	Solved   Outcome = "solved"   // 解决
	Partly   Outcome = "partly"   // 部分解决
	Unsolved Outcome = "unsolved" // 未解决: answered, but the problem remains (e.g. not within the township's power)
)

// Outcomes are the outcomes in the order forms offer them.
var Outcomes = []Outcome{Solved, Partly, Unsolved}

var outcomeNames = taxonomy.Names[Outcome]{Solved: "解决", Partly: "部分解决", Unsolved: "未解决"}

// Valid reports whether o is one of the outcomes above.
func (o Outcome) Valid() bool { return outcomeNames.Has(o) }

// Chinese is the outcome as the platform and staff write it.
func (o Outcome) Chinese() string { return outcomeNames.Of(o) }

// ParseOutcome accepts an id or its Chinese name.
func ParseOutcome(s string) (Outcome, error) {
	if o := Outcome(s); o.Valid() {
		return o, nil
	}
	for o, n := range outcomeNames {
		if s == n {
			return o, nil
		}
	}
	return "", fmt.Errorf("unknown outcome %q (want solved, partly or unsolved)", s)
}
