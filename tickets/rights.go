package tickets

import (
	"slices"

	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// The rules of who may do what to a ticket. The bot, the scheduler, the
// desk and the API all ask these, and every operation asks again when it
// runs: there is no second copy of them anywhere. Lists and counts (the
// bot's views, the desk's queue, the API's stats) select tickets with
// ScopeOf, which storage turns into SQL, so a list never shows a ticket
// that MaySee would refuse.

// MayWork reports whether actor may accept or resolve t: its handler, or
// the centre and admins who supervise everything.
func MayWork(actor roster.Staff, t storage.Ticket) bool {
	return actor.TelegramID == t.HandlerID || actor.Role == roster.Center || actor.Role == roster.Admin
}

// MaySupervise reports whether actor oversees t: the centre and admins
// everywhere, an area leader in their 片区. They may urge it (督办) and
// close it with a note.
func MaySupervise(actor roster.Staff, t storage.Ticket) bool {
	return actor.Role == roster.Center || actor.Role == roster.Admin ||
		(actor.Role == roster.AreaLeader && actor.Area != "" && actor.Area == t.Area)
}

// MayMove reports whether actor may transfer or escalate t, or correct its
// category: whoever may work it, and whoever supervises it.
func MayMove(actor roster.Staff, t storage.Ticket) bool {
	return MayWork(actor, t) || MaySupervise(actor, t)
}

// ScopeOf is the set of tickets actor may see: everything for the centre
// and admins; for everyone else the tickets they handle, plus their 片区
// for an area leader, their villages for a cadre and their categories for
// a department.
func ScopeOf(actor roster.Staff) storage.Scope {
	s := storage.Scope{HandlerID: actor.TelegramID, Villages: actor.Villages}
	switch actor.Role {
	case roster.Center, roster.Admin:
		s.All = true
	case roster.AreaLeader:
		s.Area = actor.Area
	case roster.Department:
		s.Categories = actor.Departments
	}
	return s
}

// MaySee reports whether a staff member may look at t: whoever may move
// it, a cadre of its village and a department that handles its category.
func MaySee(actor roster.Staff, t storage.Ticket) bool {
	return ScopeOf(actor).Contains(t)
}

// MayOpen reports whether a staff member may open a ticket of source src
// on someone's behalf for a request about village v. Visits, phone calls
// and walk-ins: the centre and admins anywhere, an area leader in their
// 片区, a cadre in their villages, and a department anywhere, since
// residents phone a department about its work wherever they live. A 12345
// order: the centre and admins, who receive the platform's dispatches.
// Nobody opens a telegram or checkin ticket for someone else: those are a
// resident's own messages. The ticket is then routed like any other, so
// opening one gives no right to work it.
func MayOpen(actor roster.Staff, v roster.Village, src taxonomy.Source) bool {
	centre := actor.Role == roster.Center || actor.Role == roster.Admin
	switch {
	case src == taxonomy.Hotline:
		return centre
	case !src.ByStaff():
		return false
	case centre, actor.Role == roster.Department:
		return true
	}
	return inPlace(actor, v)
}

// inPlace reports whether v is an area leader's or a cadre's own: in the
// leader's 片区, among the cadre's villages.
func inPlace(actor roster.Staff, v roster.Village) bool {
	switch actor.Role {
	case roster.AreaLeader:
		return actor.Area != "" && actor.Area == v.Area
	case roster.VillageCadre:
		return slices.Contains(actor.Villages, v.Name)
	}
	return false
}

// MayTag reports whether actor may set the tags (独居老人, 煤改电) of a
// resident of village v: the centre and admins, the area leader of its
// 片区 and its cadres.
func MayTag(actor roster.Staff, v roster.Village) bool {
	return actor.Role == roster.Center || actor.Role == roster.Admin || inPlace(actor, v)
}

// MayNotify reports whether actor may send a one-off notice to the
// residents of the 片区 area ("" for residents anywhere): the centre and
// admins, and an area leader inside their own 片区.
func MayNotify(actor roster.Staff, area string) bool {
	switch actor.Role {
	case roster.Center, roster.Admin:
		return true
	case roster.AreaLeader:
		return area != "" && area == actor.Area
	}
	return false
}

// MayAsk reports whether actor may ask the centre about t (延期, 退单): its
// handler only, since the request is theirs to justify.
func MayAsk(actor roster.Staff, t storage.Ticket) bool { return actor.TelegramID == t.HandlerID }

// MayDecide reports whether actor may approve or refuse a handler's
// request: the centre and admins, who dispatch the township's work.
func MayDecide(actor roster.Staff) bool {
	return actor.Role == roster.Center || actor.Role == roster.Admin
}

// MayLink reports whether actor may say that t is the same problem as
// primary (or, unlinking, that it is not): whoever may move both — their
// handlers, the area leader of their 片区, the centre.
func MayLink(actor roster.Staff, t, primary storage.Ticket) bool {
	return MayMove(actor, t) && MayMove(actor, primary)
}
