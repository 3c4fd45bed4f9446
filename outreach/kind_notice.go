package outreach

import (
	"hotline/notice"
	"hotline/storage"
)

// notice tells residents something and expects no answer: seasonal
// reminders, and one-off notices staff broadcast.
func init() {
	registerKind(&kind{
		id:        storage.CampaignNotice,
		about:     "residents in the segment: a notice, no answer expected",
		residents: true,
		message:   notice.NoticeMessage,
	})
}
