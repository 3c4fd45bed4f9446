package outreach

import (
	"context"
	"fmt"

	"hotline/assets"
	"hotline/storage"
)

// A kind is what one campaign kind does. Each kind is one file
// (kind_checkin.go, kind_digest.go, ...) that registers it from init, as
// mailroom's task types do, and says how a campaign of that kind is
// validated, whom its runs reach, what they send and what they track.
// Nothing else in the package switches on a kind.
type kind struct {
	id storage.CampaignKind
	// about says whom runs reach and with what, for `outreach list` and
	// previews of campaigns to staff.
	about string
	// residents says runs write to residents, so a campaign needs a
	// segment and a text.
	residents bool
	// answers is what a recipient may answer; recipients are recorded
	// (and their answers looked up) unless it is answerNone.
	answers answerKind
	// validate checks what this kind needs of a campaign beyond the
	// common fields (id, schedule, segment, text, category); nil: nothing.
	validate func(c *Campaign) error
	// reach narrows a run's segment to the residents this run is for
	// (e.g. the villages whose visit month it is); nil: the whole segment.
	reach func(s *Service, a *assets.Assets, run storage.Run) func(storage.Resident) bool
	// message is the run's message to one resident (a notice builder);
	// nil for a kind that writes to staff only.
	message func(run storage.Run) storage.OutboxMessage
	// staff makes what a run sends to staff, from a read snapshot, each
	// message with its recipient and dedupe key; nil: nothing. The run
	// queues them in one short write afterwards.
	staff func(s *Service, ctx context.Context, view *storage.Tx, a *assets.Assets, run storage.Run) ([]storage.OutboxMessage, error)
}

// answerKind is what the residents a run asks may answer.
type answerKind int

const (
	answerNone    answerKind = iota // nothing is asked
	answerCheckin                   // 正常 / 有问题, or a text that opens a ticket in the campaign's category
	answerRating                    // 1–5 for the village cadre, once per household
)

var kinds = map[storage.CampaignKind]*kind{}

// registerKind adds a kind; it is called from the kind files' init.
func registerKind(k *kind) {
	if !k.id.Valid() {
		panic(fmt.Sprintf("outreach: kind %q is not a storage.CampaignKind", k.id))
	}
	if kinds[k.id] != nil {
		panic(fmt.Sprintf("outreach: kind %q registered twice", k.id))
	}
	if k.residents != (k.message != nil) {
		panic(fmt.Sprintf("outreach: kind %q: a kind that writes to residents needs a message, and only it", k.id))
	}
	kinds[k.id] = k
}

// kindOf is the registered kind of id; every storage.CampaignKind has one
// (a test checks), and storage refuses rows of an unknown kind.
func kindOf(id storage.CampaignKind) *kind {
	k := kinds[id]
	if k == nil {
		panic(fmt.Sprintf("outreach: no kind %q registered", id))
	}
	return k
}

// Reaches says whom a campaign's runs reach and with what.
func Reaches(c Campaign) string { return kindOf(c.Kind).about }

// ToResidents reports whether a campaign's runs write to residents (rather
// than to staff only).
func ToResidents(c Campaign) bool { return kindOf(c.Kind).residents }

// answering lists the kinds whose runs ask a question of type a.
func answering(a answerKind) []storage.CampaignKind {
	var out []storage.CampaignKind
	for _, id := range storage.CampaignKinds {
		if kinds[id] != nil && kinds[id].answers == a {
			out = append(out, id)
		}
	}
	return out
}
