package outreach

import (
	"hotline/notice"
	"hotline/storage"
)

// yearend asks every household to rate its village cadre 1–5, once; the
// answers are the year-end evaluation (reports.YearEnd).
func init() {
	registerKind(&kind{
		id:        storage.CampaignYearEnd,
		about:     "every household in the segment: rate the village cadre 1–5, once",
		residents: true,
		answers:   answerRating,
		message:   notice.YearEndMessage,
	})
}
