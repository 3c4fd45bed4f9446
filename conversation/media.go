package conversation

import (
	"hotline/intents"
	"hotline/notice"
	"hotline/routing"
	"hotline/storage"
)

// A resident's place, photo or voice message. A place or photo sent on its
// own belongs to the report made a moment before (AttachWithin); without
// one, the resident is asked what the problem is, and the place or photo
// waits for the answer. A voice message is a report of its own.

// voice makes a voice message a ticket: for the village cadre to listen
// to, or classified like words when it was transcribed (and then an
// emergency in it gets its advice first). Before registration it waits for
// the village, as words do.
func (t *turn) voice(r storage.Resident) error {
	in := voiceIntake(t.in, t.prep.transcript, t.now)
	if words := in.words(); words != "" {
		if em, ok := intents.DetectEmergency(words); ok {
			return t.emergency(r, in, em)
		}
	}
	if r.Village == "" {
		v := t.in.Voice
		err := t.tx.AddPendingMedia(t.ctx, storage.PendingMedia{ResidentID: r.ID, Kind: storage.MediaVoice,
			FileID: v.File.ID, FileUniqueID: v.File.UniqueID, ChatID: t.in.ChatID, MessageID: t.in.MessageID,
			Duration: v.Duration, Caption: t.in.Text, Transcript: t.prep.transcript, ReceivedAt: t.now})
		if err != nil {
			return err
		}
		suggest, _ := t.a.Gazetteer.Find(in.words())
		return t.send(notice.MediaKept(t.a.Roster, storage.MediaVoice, suggest))
	}
	if err := t.takeWaiting(r, &in); err != nil {
		return err
	}
	_, err := t.report(r, in)
	return err
}

// sharedPlace attaches a shared location to the resident's report of a
// moment ago, or keeps it for the words that come next.
func (t *turn) sharedPlace(r storage.Resident) error {
	l := t.in.Location
	p := storage.Place{Lat: l.Latitude, Lon: l.Longitude}
	if !p.Known() {
		return t.send(notice.AskWhat())
	}
	tk, ok, err := t.recentTicket(r)
	if err != nil || !ok {
		if err != nil {
			return err
		}
		return t.keep(r, storage.PendingMedia{Kind: storage.MediaLocation, Place: p, Title: l.Title, Address: l.Address})
	}
	refused, err := t.try(func() error {
		var err error
		tk, err = t.s.tickets.AttachPlace(t.ctx, t.tx, t.a, tk.ID, r.ID, storage.Media{Place: p, Title: l.Title,
			Address: l.Address, ChatID: t.in.ChatID, MessageID: t.in.MessageID, AddedAt: t.now})
		return err
	})
	if refused || err != nil {
		return err
	}
	return t.send(notice.MediaAdded(tk, storage.MediaLocation))
}

// lonePhoto attaches a photo without words to the resident's report of a
// moment ago, or keeps it for the words that come next.
func (t *turn) lonePhoto(r storage.Resident) error {
	m := t.photo()
	tk, ok, err := t.recentTicket(r)
	if err != nil || !ok {
		if err != nil {
			return err
		}
		return t.keep(r, storage.PendingMedia{Kind: storage.MediaPhoto, FileID: m.FileID, FileUniqueID: m.FileUniqueID})
	}
	refused, err := t.try(func() error {
		var err error
		tk, err = t.s.tickets.AddMedia(t.ctx, t.tx, tk.ID, r.ID, m)
		return err
	})
	if refused || err != nil {
		return err
	}
	return t.send(notice.MediaAdded(tk, storage.MediaPhoto))
}

// photo is the message's photo as a ticket keeps it.
func (t *turn) photo() storage.Media {
	return storage.Media{Kind: storage.MediaPhoto, FileID: t.in.PhotoFile.ID, FileUniqueID: t.in.PhotoFile.UniqueID,
		ChatID: t.in.ChatID, MessageID: t.in.MessageID, Caption: t.in.Text, AddedAt: t.now}
}

// recentTicket is the resident's newest ticket when it is still open and
// was reported within AttachWithin.
func (t *turn) recentTicket(r storage.Resident) (storage.Ticket, bool, error) {
	if r.Village == "" {
		return storage.Ticket{}, false, nil
	}
	ts, err := t.tx.Tickets(t.ctx, storage.TicketFilter{ResidentID: r.ID, NewestFirst: true, Limit: 1})
	if err != nil || len(ts) == 0 {
		return storage.Ticket{}, false, err
	}
	tk := ts[0]
	return tk, routing.State(tk.State).Open() && t.now.Sub(tk.CreatedAt) <= t.s.cfg.AttachWithin, nil
}

// keep holds a photo or place sent on its own until the words it belongs
// to: before registration with the words sent just before, if any; after,
// until the next report.
func (t *turn) keep(r storage.Resident, p storage.PendingMedia) error {
	p.ResidentID, p.ChatID, p.MessageID, p.ReceivedAt = r.ID, t.in.ChatID, t.in.MessageID, t.now
	if r.Village == "" {
		last, ok, err := t.tx.LastPendingText(t.ctx, r.ID)
		if err != nil {
			return err
		}
		if ok && t.now.Sub(last.ReceivedAt) <= t.s.cfg.AttachWithin {
			p.TextID = last.ID
		}
		if err := t.tx.AddPendingMedia(t.ctx, p); err != nil {
			return err
		}
		if p.TextID != 0 {
			suggest, _ := t.a.Gazetteer.Find(last.Text)
			return t.send(notice.MediaKept(t.a.Roster, p.Kind, suggest))
		}
		return t.send(notice.AskWhatFor(p.Kind))
	}
	if err := t.tx.AddPendingMedia(t.ctx, p); err != nil {
		return err
	}
	if err := t.setState(stateAsked, ""); err != nil {
		return err
	}
	return t.send(notice.AskWhatFor(p.Kind))
}

// takeWaiting gives a registered resident's report the photos and places
// they sent on their own just before, if they were asked what it was.
func (t *turn) takeWaiting(r storage.Resident, in *intake) error {
	if t.chat.State != stateAsked {
		return nil
	}
	if err := t.setState(stateIdle, ""); err != nil {
		return err
	}
	waiting, err := t.tx.TakePendingMedia(t.ctx, r.ID, t.now.Add(-pendingWithin))
	in.pending = append(in.pending, waiting...)
	return err
}
