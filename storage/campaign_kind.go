package storage

import "slices"

// CampaignKind is what an outreach run does. The ids are stored with every
// run and written in the campaigns file; what each kind does is in package
// outreach, one file per kind.
type CampaignKind string

// Campaign kinds.
const (
	CampaignCheckin   CampaignKind = "checkin"   // residents: a question with 正常 / 有问题
	CampaignNotice    CampaignKind = "notice"    // residents: a message without buttons
	CampaignYearEnd   CampaignKind = "yearend"   // residents: rate the village cadre 1–5
	CampaignVisit     CampaignKind = "visit"     // cadres: visit lists; residents of due villages: a check-in
	CampaignWednesday CampaignKind = "wednesday" // area leaders: the 下村日 list
	CampaignDigest    CampaignKind = "digest"    // the centre: the daily, weekly or monthly digest
)

// CampaignKinds are the kinds this version knows, in the order they are
// listed to people.
var CampaignKinds = []CampaignKind{CampaignCheckin, CampaignNotice, CampaignYearEnd, CampaignVisit, CampaignWednesday, CampaignDigest}

// Valid reports whether k is one of the kinds above.
func (k CampaignKind) Valid() bool { return slices.Contains(CampaignKinds, k) }
