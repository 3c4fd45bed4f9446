package conversation

import (
	"cmp"
	"slices"
	"time"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

// What a resident sends before registering waits for the village: words
// in pending_texts, photos, places and voice messages in pending_media.
// Registering turns each text and each voice message into a ticket, with
// the photos and places that came with it.

// keepText keeps a report of a resident not yet registered, with its
// photo, and asks for the village.
func (t *turn) keepText(r storage.Resident, in intake) error {
	if err := t.tx.AddPendingText(t.ctx, r.ID, in.text, t.now); err != nil {
		return err
	}
	if len(in.media) > 0 {
		last, _, err := t.tx.LastPendingText(t.ctx, r.ID)
		if err != nil {
			return err
		}
		for _, m := range in.media {
			err := t.tx.AddPendingMedia(t.ctx, storage.PendingMedia{ResidentID: r.ID, Kind: m.Kind, FileID: m.FileID,
				FileUniqueID: m.FileUniqueID, ChatID: m.ChatID, MessageID: m.MessageID, Caption: m.Caption,
				TextID: last.ID, ReceivedAt: t.now})
			if err != nil {
				return err
			}
		}
	}
	suggest, _ := t.a.Gazetteer.Find(in.text)
	return t.send(notice.PendingKept(t.a.Roster, suggest))
}

// registerPending opens the tickets of what the resident sent before
// registering in v, in the order sent, after the message that confirms the
// village. Photos and places sent on their own go with the first; with no
// report to go with, they wait for the next words.
func (t *turn) registerPending(r storage.Resident, v roster.Village, moved bool) error {
	reports, loose, err := t.takePending(r)
	if err != nil {
		return err
	}
	if err := t.replace(notice.Registered(v, len(reports), moved)); err != nil {
		return err
	}
	if len(reports) == 0 {
		for _, m := range loose {
			if err := t.tx.AddPendingMedia(t.ctx, m); err != nil {
				return err
			}
		}
		if len(loose) > 0 {
			return t.setState(stateAsked, "")
		}
		return nil
	}
	reports[0].pending = append(reports[0].pending, loose...)
	for _, in := range reports {
		if _, err := t.open(r.ID, in, t.intent(&in, v.Name)); err != nil {
			return err
		}
	}
	return nil
}

// pendingReport is a report waiting for the village, with when it came.
type pendingReport struct {
	intake
	at   time.Time
	id   int64
	text bool
}

// takePending takes the resident's waiting texts and media: the reports
// (texts with their photos and places, voice messages) in the order they
// came, and the photos and places that came on their own.
func (t *turn) takePending(r storage.Resident) ([]intake, []storage.PendingMedia, error) {
	texts, err := t.tx.TakePendingTexts(t.ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	media, err := t.tx.TakePendingMedia(t.ctx, r.ID, t.now.Add(-pendingWithin))
	if err != nil {
		return nil, nil, err
	}
	byText := map[int64][]storage.PendingMedia{}
	for _, p := range texts {
		byText[p.ID] = nil
	}
	var reports []pendingReport
	var loose []storage.PendingMedia
	for _, m := range media {
		_, withText := byText[m.TextID]
		switch {
		case m.Kind == storage.MediaVoice:
			reports = append(reports, pendingReport{intake: voiceReport(m.Media(0), m.Transcript), at: m.ReceivedAt, id: m.ID})
		case withText && m.TextID != 0:
			byText[m.TextID] = append(byText[m.TextID], m)
		default:
			loose = append(loose, m)
		}
	}
	for _, p := range texts {
		in := textIntake(p.Text)
		in.pending = byText[p.ID]
		reports = append(reports, pendingReport{intake: in, at: p.ReceivedAt, id: p.ID, text: true})
	}
	// In the order sent; a text before a voice message of the same instant.
	slices.SortStableFunc(reports, func(a, b pendingReport) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.text != b.text {
			if a.text {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]intake, len(reports))
	for i, p := range reports {
		out[i] = p.intake
	}
	return out, loose, nil
}
