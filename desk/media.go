package desk

import (
	"hotline/api"
	"hotline/storage"
)

// What the resident sent besides words, on the ticket page: photos shown
// (a click opens the whole picture), voice messages played, places with
// their coordinates and a map link. Each report of the problem keeps its
// own, under who sent it. The files come through the desk's proxy
// (GET /desk/tickets/{number}/media/{id}, api.Config.ServeMedia): the
// page loads nothing from anywhere else.

// mediaGroup is what one report of the problem brought.
type mediaGroup struct {
	Number string // the report's ticket
	Linked bool   // a report linked to the ticket shown, not the ticket itself
	Who    string // its requester, phone masked
	Items  []api.Media
}

// mediaOf groups the media of ticket t and of its linked reports by
// report, t's own first.
func mediaOf(v *visit, tx *storage.Tx, t storage.Ticket) ([]mediaGroup, error) {
	items, err := api.ProblemMedia(v.ctx, tx, t)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	views := api.MediaOf("/desk", t.Number, items)
	groups := []mediaGroup{{Number: t.Number}}
	at := map[storage.TicketID]int{t.ID: 0}
	for i, m := range items {
		g, ok := at[m.From.ID]
		if !ok {
			who, err := whoSent(v, tx, m.From)
			if err != nil {
				return nil, err
			}
			g = len(groups)
			at[m.From.ID] = g
			groups = append(groups, mediaGroup{Number: m.From.Number, Linked: true, Who: who})
		}
		groups[g].Items = append(groups[g].Items, views[i])
	}
	if len(groups[0].Items) == 0 {
		groups = groups[1:]
	}
	return groups, nil
}

// whoSent names the requester of a linked report: the resident's name
// and masked phone, or the name and masked phone given for someone with
// no chat.
func whoSent(v *visit, tx *storage.Tx, t storage.Ticket) (string, error) {
	if !t.HasChat() {
		who, _ := requesterOf(t, false)
		return who, nil
	}
	r, err := residentOf(v, tx, t.ResidentID)
	if err != nil {
		return "", err
	}
	who := r.Name
	if who == "" {
		who = "Telegram 居民"
	}
	if r.Phone != "" {
		who += " " + r.Phone
	}
	return who, nil
}

// has reports whether the groups hold an item of kind.
func has(groups []mediaGroup, kind storage.MediaKind) bool {
	for _, g := range groups {
		for _, m := range g.Items {
			if m.Kind == kind {
				return true
			}
		}
	}
	return false
}
