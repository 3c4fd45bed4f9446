package outreach

import (
	"hotline/intents"
	"hotline/taxonomy"
)

func intentFor(c taxonomy.Category, u taxonomy.Urgency, village string) intents.Result {
	return intents.Result{Category: c, Urgency: u, Village: village, Confidence: 0.9, Source: "test"}
}
