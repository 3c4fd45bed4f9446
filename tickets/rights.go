package tickets

import (
	"slices"

	"hotline/roster"
	"hotline/storage"
)

// The rules of who may do what to a ticket. The bot, the scheduler, the
// desk and the API all ask these, and every operation asks again when it
// runs: there is no second copy of them anywhere.

// MayWork reports whether actor may accept or resolve t: its handler, or
// the centre and admins who supervise everything.
func MayWork(actor roster.Staff, t storage.Ticket) bool {
	return actor.TelegramID == t.HandlerID || actor.Role == roster.Center || actor.Role == roster.Admin
}

// MayMove reports whether actor may transfer or escalate t: whoever may
// work it, and the area leader of its 片区.
func MayMove(actor roster.Staff, t storage.Ticket) bool {
	return MayWork(actor, t) || (actor.Role == roster.AreaLeader && actor.Area != "" && actor.Area == t.Area)
}

// MaySee reports whether a staff member may look at t: whoever may move
// it, a cadre of its village and a department that handles its category.
func MaySee(actor roster.Staff, t storage.Ticket) bool {
	return MayMove(actor, t) || slices.Contains(actor.Villages, t.Village) ||
		(actor.Role == roster.Department && slices.Contains(actor.Departments, t.Category))
}
