package desk

import (
	"errors"
	"time"

	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// The ticket page's 12345 side: who asked when they have no chat, the
// platform's order, the tickets of the same problem, a request waiting
// for the centre, and the actions of the 12345 way of handling.

// handling is that side of the ticket page.
type handling struct {
	// Requester is the name and phone of a requester without a chat. The
	// phone is whole for whoever works the ticket, who must call them (as
	// on their card in the bot), and masked for everyone else.
	Requester string
	Call      string // the number to call, for a tel: link; "" when masked
	Order     *storage.WorkOrder
	Primary   *storage.Ticket // the ticket this one follows
	Followers []follower      // the tickets following this one
	Request   *storage.Request
	Can       handlingRights
}

// follower is a ticket linked to the one shown: the same problem, another
// requester.
type follower struct {
	Number, Who string
	At          time.Time
	Chat        bool // told through the bot; otherwise to be phoned
}

// handlingRights are the 12345 actions the page offers; the lifecycle
// checks each again.
type handlingRights struct {
	Contact, Promise, Extend, Return, Decide, Link, Unlink bool
}

func handlingRightsOn(st roster.Staff, t storage.Ticket, pending bool, primary *storage.Ticket) handlingRights {
	may := func(a routing.Action) bool { _, err := routing.Next(t.State, a); return err == nil }
	ask := tickets.MayAsk(st, t) && !pending
	return handlingRights{
		Contact: tickets.MayWork(st, t) && may(routing.Contact) && t.ContactedAt.IsZero(),
		Promise: tickets.MayWork(st, t) && may(routing.Promise),
		Extend:  ask && may(routing.AskExtend),
		Return:  ask && may(routing.AskReturn),
		Decide:  pending && tickets.MayDecide(st),
		Link:    tickets.MayMove(st, t) && may(routing.Link),
		Unlink:  primary != nil && t.State == routing.Linked && tickets.MayLink(st, *primary, *primary),
	}
}

// handlingOf reads the 12345 side of ticket t for v.
func handlingOf(v *visit, tx *storage.Tx, t storage.Ticket) (handling, error) {
	var h handling
	calls := tickets.MayWork(v.staff, t)
	h.Requester, h.Call = requesterOf(t, calls)
	if t.ExternalID != "" {
		o, err := tx.WorkOrder(v.ctx, t.ExternalID)
		switch {
		case err == nil:
			h.Order = &o
		case !errors.Is(err, storage.ErrNotFound): // entered by hand: no order row
			return h, err
		}
	}
	if t.LinkedTo != 0 {
		p, err := tx.Ticket(v.ctx, t.LinkedTo)
		if err != nil {
			return h, err
		}
		h.Primary = &p
	}
	if t.Requesters > 1 {
		linked, err := tx.LinkedTickets(v.ctx, t.ID)
		if err != nil {
			return h, err
		}
		for _, l := range linked {
			if l.State != routing.Linked {
				continue
			}
			who, _ := requesterOf(l, calls)
			if l.HasChat() {
				who = "Telegram 居民"
			}
			h.Followers = append(h.Followers, follower{Number: l.Number, Who: who, At: l.CreatedAt, Chat: l.HasChat()})
		}
	}
	r, pending, err := tx.PendingRequest(v.ctx, t.ID)
	if err != nil {
		return h, err
	}
	if pending {
		h.Request = &r
	}
	h.Can = handlingRightsOn(v.staff, t, pending, h.Primary)
	return h, nil
}

// requesterOf is the name and phone of t's requester without a chat, the
// phone whole when calls (and then the number to dial).
func requesterOf(t storage.Ticket, calls bool) (who, call string) {
	if t.RequesterName == "" && t.RequesterPhone == "" {
		return "", ""
	}
	phone := notice.MaskPhone(t.RequesterPhone)
	if calls {
		phone, call = t.RequesterPhone, t.RequesterPhone
	}
	switch {
	case t.RequesterName == "":
		return phone, call
	case phone == "":
		return t.RequesterName, call
	}
	return t.RequesterName + " " + phone, call
}
