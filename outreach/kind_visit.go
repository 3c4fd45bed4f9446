package outreach

import (
	"hotline/assets"
	"hotline/notice"
	"hotline/storage"
)

// visit sends each due village's cadres a visit list (open tickets, those
// who did not answer a check-in, those who live alone) and asks the due
// villages' residents a check-in: small villages every month, large ones
// every quarter.
func init() {
	registerKind(&kind{
		id:        storage.CampaignVisit,
		about:     "cadres of the villages due this month: a visit list; their residents: a check-in",
		residents: true,
		answers:   answerCheckin,
		validate:  needsCategory,
		reach:     (*Service).dueResidents,
		message:   notice.CheckinMessage,
		staff:     (*Service).visitLists,
	})
}

// dueResidents keeps the residents of the villages due in the run's slot.
func (s *Service) dueResidents(a *assets.Assets, run storage.Run) func(storage.Resident) bool {
	due := map[string]bool{}
	for _, v := range s.dueVillages(a, run.Slot) {
		due[v] = true
	}
	return func(r storage.Resident) bool { return due[r.Village] }
}
