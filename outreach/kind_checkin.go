package outreach

import (
	"fmt"

	"hotline/notice"
	"hotline/storage"
)

// checkin asks residents how things are (正常 / 有问题); 有问题, or a text
// written within answer_within, opens a ticket in the campaign's category.
// Those who never answer go on their cadre's visit list.
func init() {
	registerKind(&kind{
		id:        storage.CampaignCheckin,
		about:     "residents in the segment: a question with 正常 / 有问题; 有问题 or a text opens a ticket",
		residents: true,
		answers:   answerCheckin,
		validate:  needsCategory,
		message:   notice.CheckinMessage,
	})
}

// needsCategory refuses a campaign whose answers would open tickets of no
// category.
func needsCategory(c *Campaign) error {
	if c.Category == "" {
		return fmt.Errorf("a %s campaign needs a category for the tickets its answers open", c.Kind)
	}
	return nil
}
