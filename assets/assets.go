// Package assets is the township's setup as one update, job or request sees
// it: the roster in force, the router over it, its village gazetteer and
// the classifier over both. It is taken once and passed down, so that a
// message is never classified over one roster and routed over another,
// and built once per roster import, so that nothing is rebuilt per update.
package assets

import (
	"hotline/intents"
	"hotline/roster"
	"hotline/routing"
)

// Assets is one consistent snapshot. It is never changed after New: a new
// roster makes new Assets.
type Assets struct {
	ImportID   int64 // the roster import it was built from; 0 for none
	Roster     *roster.Roster
	Router     *routing.Router
	Gazetteer  *intents.Gazetteer
	Classifier intents.Classifier
}

// New builds the snapshot of r. classify makes the classifier over the
// roster's gazetteer; nil gives a snapshot without one (the CLI's reports,
// tests of routing alone).
func New(importID int64, r *roster.Roster, classify func(*intents.Gazetteer) intents.Classifier) *Assets {
	a := &Assets{ImportID: importID, Roster: r, Router: routing.New(r), Gazetteer: intents.NewGazetteer(r.Villages)}
	if classify != nil {
		a.Classifier = classify(a.Gazetteer)
	}
	return a
}

// Source gives the snapshot in force. Callers take it once per unit of
// work and keep it for that unit's whole length.
type Source interface {
	Assets() *Assets
}

// Fixed is a Source that never changes, for the CLI and tests.
type Fixed struct{ A *Assets }

// Assets implements Source.
func (f Fixed) Assets() *Assets { return f.A }
