// Package intents answers "what is it about, how urgent is it, which village"
// for a resident's message (shared/taxonomy.md). The embedded classifier is a
// linear model over character n-grams and a lexicon, trained by this package
// from the labelled corpus it embeds; a village gazetteer built from the
// roster finds the village.
package intents

import (
	"context"

	"hotline/taxonomy"
)

// Input is one message to classify.
type Input struct {
	Text            string
	ResidentVillage string // the sender's registered village, used when the text names none
}

// Result is what a classifier says about one message.
type Result struct {
	Category   taxonomy.Category
	Urgency    taxonomy.Urgency
	Village    string  // full roster name; "" if unknown
	Confidence float64 // calibrated probability in [0,1] that Category is right
	Source     string  // which classifier decided: "embedded" (or "ollama")
	// Emergency is the life-safety situation the message reports, "" if
	// none (DetectEmergency); such a message is always urgent.
	Emergency EmergencyKind
}

// Classifier classifies resident messages.
type Classifier interface {
	Classify(ctx context.Context, in Input) (Result, error)
}

// Example is one labelled message. Label is a taxonomy category id for the
// township's own data, or any string for a foreign label set.
type Example struct {
	ID              string
	Text            string
	Label           string
	Urgency         string // optional: urgent, normal or low
	Village         string // optional: the village the message is about
	ResidentVillage string // optional
	// Fields are the separate text columns Text was joined from, when
	// there were several (a title and a body); nil otherwise.
	Fields []string
}

// fields returns the example's text fields.
func (e Example) fields() []string {
	if len(e.Fields) > 1 {
		return e.Fields
	}
	return []string{e.Text}
}
