package outreach

import "hotline/storage"

// wednesday sends every area leader the 下村日 list of their 片区: open
// tickets by village, villages with overdue tickets first.
func init() {
	registerKind(&kind{
		id:    storage.CampaignWednesday,
		about: "each area leader gets the open tickets of their 片区 by village, overdue first",
		staff: (*Service).wednesdayLists,
	})
}
