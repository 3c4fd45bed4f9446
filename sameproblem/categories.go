package sameproblem

import (
	"slices"
	"time"

	"hotline/taxonomy"
)

// Window is how long after a report another one may be linked to it: a
// problem still open after ten days is news again when reported, and a
// handler may have fixed it without saying.
const Window = 10 * 24 * time.Hour

// sharedCategories are the categories of things neighbours share (lights,
// roads, supply lines, the village's air and rubbish). A pension, a
// quarrel or a question is each person's own, never merged.
var sharedCategories = []taxonomy.Category{
	taxonomy.Heating, taxonomy.Power, taxonomy.Water, taxonomy.Sanitation, taxonomy.Roads,
	taxonomy.Pollution, taxonomy.Safety, taxonomy.Forestry, taxonomy.Construction,
}

// Shared reports whether reports of category c may be the same problem.
func Shared(c taxonomy.Category) bool { return slices.Contains(sharedCategories, c) }

// Matchable reports whether a report could match another at all: it names
// a thing and is not about the requester's own home. Intake skips the
// lookup of open tickets for the others.
func (r Report) Matchable() bool { return !r.home && len(r.things) > 0 }
