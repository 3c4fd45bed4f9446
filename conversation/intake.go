package conversation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"hotline/intents"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// intake is a report on its way to a ticket: its words and what came with
// them.
type intake struct {
	text     string          // the ticket's text: the words as written, or "[语音 8秒] …"
	classify string          // what the classifier reads, when not text (a voice message's transcript)
	voice    int             // seconds, when it is a voice message
	media    []storage.Media // the message's own photo or voice message
	// pending are photos, places and voice messages that waited for these
	// words.
	pending []storage.PendingMedia
	handler roster.StaffID // who takes it, when not the router's choice
}

// textIntake is a report in words.
func textIntake(text string) intake { return intake{text: text} }

// voiceWords are the words of a voice message: its caption, if it has
// one, and its transcript.
func voiceWords(caption, transcript string) string {
	return strings.TrimSpace(caption + " " + transcript)
}

// voiceIntake is a report by voice message, with its transcript if any.
func voiceIntake(in Inbound, transcript string, now time.Time) intake {
	v := in.Voice
	return voiceReport(storage.Media{Kind: storage.MediaVoice, FileID: v.File.ID, FileUniqueID: v.File.UniqueID,
		ChatID: in.ChatID, MessageID: in.MessageID, Duration: v.Duration, Caption: in.Text, AddedAt: now}, transcript)
}

// voiceReport is the report a voice message m makes.
func voiceReport(m storage.Media, transcript string) intake {
	m.Duration = max(m.Duration, 1) // Telegram rounds; a voice message has a length
	words := voiceWords(m.Caption, transcript)
	text := fmt.Sprintf("[语音 %d秒]", m.Duration)
	if words != "" {
		text += " " + words
	}
	return intake{text: text, classify: words, voice: m.Duration, media: []storage.Media{m}}
}

// words is what the classifier reads; "" for a voice message without a
// transcript.
func (in intake) words() string {
	if in.voice > 0 {
		return in.classify
	}
	return in.text
}

// place is the place that came with the report, if any.
func (in intake) place() storage.Place {
	for _, p := range in.pending {
		if p.Kind == storage.MediaLocation {
			return p.Place
		}
	}
	return storage.Place{}
}

// allMedia are the photos, voice messages and places the ticket keeps.
func (in intake) allMedia() []storage.Media {
	out := append([]storage.Media(nil), in.media...)
	for _, p := range in.pending {
		out = append(out, p.Media(0))
	}
	return out
}

// intent classifies a report for village. A voice message is "other" and
// normal unless its transcript says better, and goes to the village's
// cadre, who can phone back, unless its transcript places it elsewhere.
func (t *turn) intent(in *intake, village string) intents.Result {
	words := in.words()
	var r intents.Result
	if words != "" {
		r = t.classification(words, village)
	} else {
		r = intents.Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Village: village, Source: intents.SourceVoice}
	}
	if in.voice == 0 {
		return r
	}
	if r.Urgency != taxonomy.Urgent {
		r.Urgency = taxonomy.Normal
	}
	if r.Category == taxonomy.Other && in.handler == 0 {
		if cadres := t.a.Roster.CadresOf(r.Village); len(cadres) > 0 {
			in.handler = cadres[0].TelegramID
		}
	}
	return r
}

// open opens a ticket for the resident's report and gives it what came
// with it.
func (t *turn) open(residentID int64, in intake, intent intents.Result) (storage.Ticket, error) {
	tk, err := t.s.tickets.Open(t.ctx, t.tx, t.a, tickets.OpenInput{
		ResidentID: residentID, Text: in.text, Intent: intent,
		Handler: in.handler, Place: in.place(), Voice: in.voice,
	})
	if err != nil {
		return tk, err
	}
	return t.attach(tk, residentID, in)
}

// attach gives a ticket just opened the photos, voice and place that came
// with its report (a check-in's answer is opened by outreach, without
// them).
func (t *turn) attach(tk storage.Ticket, residentID int64, in intake) (storage.Ticket, error) {
	var err error
	media := in.allMedia()
	if p := in.place(); p.Known() && !tk.Place.Known() {
		// AttachPlace puts the place on the card and keeps it; no pin is
		// copied, the card is new.
		i := slices.IndexFunc(media, func(m storage.Media) bool { return m.Kind == storage.MediaLocation })
		place := media[i]
		place.MessageID = 0
		if tk, err = t.s.tickets.AttachPlace(t.ctx, t.tx, t.a, tk.ID, residentID, place); err != nil {
			return tk, err
		}
		media = slices.Delete(media, i, i+1)
	}
	if len(media) > 0 {
		if tk, err = t.s.tickets.AddMedia(t.ctx, t.tx, tk.ID, residentID, media...); err != nil {
			return tk, err
		}
	}
	return tk, nil
}
