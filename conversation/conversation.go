// Package conversation is the hotline's side of a chat with a resident or a
// staff member: registration, reports, the staff's cards and commands, the
// answers to check-ins. It knows residents, staff and tickets but not the
// channel: the Telegram adapter (package bot) turns an update into an
// Inbound and carries out the Outcome after the commit, and the desk or a
// future channel can call the same code.
//
// Every reply is an outbox row written in the caller's transaction by the
// notice package's wording; who may do what is asked of the lifecycle
// (package tickets), never decided here.
package conversation

import (
	"context"
	"log/slog"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/outreach"
	"hotline/roster"
	"hotline/storage"
	"hotline/tickets"
)

// Inbound is one thing a person did in a chat: a message (text, photo,
// location, contact) or a button press.
type Inbound struct {
	UserID  int64
	ChatID  int64
	Name    string // display name
	Private bool   // a one-to-one chat; groups are not part of the hotline

	Message   bool
	MessageID int
	Text      string // the text, or a photo's or voice message's caption
	Photo     bool
	PhotoFile File // the photo's largest size, when Photo
	Voice     *Voice
	Location  *Location
	Contact   *Contact

	Pressed          bool   // a button press
	Data             string // the pressed button's data
	PressedMessageID int    // the message that carried the button; 0 when too old to edit

	Blocked bool // the person blocked the bot
}

// File is a file as the channel knows it: Telegram's file_id, to fetch or
// show it, and file_unique_id, the same file whoever sent it.
type File struct {
	ID, UniqueID string
}

// Voice is a voice message.
type Voice struct {
	File     File
	Duration int    // seconds
	MimeType string // audio/ogg on Telegram
}

// Location is a place shared in the chat: a point, and a name and an
// address when one was picked from the map's list (a venue).
type Location struct {
	Latitude, Longitude float64
	Title, Address      string
}

// Contact is a phone number shared in the chat.
type Contact struct {
	UserID      int64 // whose number it is, when the channel knows
	PhoneNumber string
}

// Outcome is what the channel does after the transaction commits: these
// carry no state, so they are not outbox rows.
type Outcome struct {
	Handled bool         // false when the update was processed before
	Answer  string       // the short answer to a button press
	Menu    roster.Staff // non-zero: set this staff member's command menu
	FanOut  bool         // a notice was recorded: fan it out to its residents
}

// Service holds conversations.
type Service struct {
	tickets  *tickets.Service
	outreach *outreach.Service // nil when outreach is off
	signIn   SignIn            // nil when there is no desk
	cfg      Config
	stt      Transcriber // nil: voice messages are not transcribed
	log      *slog.Logger
}

// SignIn mints the desk's one-time sign-in links (package signin).
type SignIn interface {
	Link(ctx context.Context, tx *storage.Tx, staff roster.StaffID) (string, error)
}

// New returns the conversation service. out answers check-ins, ratings and
// /notify; without it (nil) those buttons are stale and texts are plain
// reports. signIn answers /web; without it (nil) /web says the desk is off.
func New(tk *tickets.Service, out *outreach.Service, signIn SignIn, log *slog.Logger, opts ...Option) *Service {
	s := &Service{tickets: tk, outreach: out, signIn: signIn, log: log}
	for _, o := range opts {
		o(s)
	}
	s.cfg = s.cfg.withDefaults()
	return s
}

// Prepared is what Prepare worked out before the transaction.
type Prepared struct {
	intents    map[string]intents.Result
	transcript string // a voice message's words, when transcribed
}

// Prepare does before the write transaction what may take a while, so
// that the write lock is not held meanwhile: it transcribes a resident's
// voice message (when a Transcriber is set) and classifies a registered
// resident's report. Handle classifies whatever Prepare could not; a voice
// message without a transcript is a ticket all the same.
func (s *Service) Prepare(ctx context.Context, db *storage.DB, a *assets.Assets, in Inbound) Prepared {
	if _, staff := a.Roster.StaffByID(roster.StaffID(in.UserID)); staff || !in.Message || !in.Private {
		return Prepared{}
	}
	var p Prepared
	text, ok := in.reportText()
	if in.Voice != nil {
		p.transcript = s.transcribe(ctx, *in.Voice)
		text = voiceWords(in.Text, p.transcript)
		ok = text != ""
	}
	if !ok {
		return p
	}
	var village string
	err := db.View(ctx, func(tx *storage.Tx) error {
		r, err := tx.Resident(ctx, in.UserID)
		if err != nil {
			return err
		}
		village = r.Village
		return nil
	})
	if err != nil || village == "" {
		return p // ErrNotFound for a new resident; anything else is retried in Handle
	}
	p.intents = map[string]intents.Result{cacheKey(text, village): s.classify(ctx, a, text, village)}
	return p
}

func cacheKey(text, village string) string { return village + "\x00" + text }

// Handle runs one inbound inside tx, over the snapshot a, at now.
func (s *Service) Handle(ctx context.Context, tx *storage.Tx, a *assets.Assets, now time.Time, in Inbound, prep Prepared) (Outcome, error) {
	t := &turn{s: s, ctx: ctx, tx: tx, a: a, now: now, in: in, prep: prep}
	err := t.run()
	t.out.Handled = err == nil
	return t.out, err
}

// classify never fails: a classifier error routes the ticket as "other" to
// the centre, which triages, rather than losing the report.
func (s *Service) classify(ctx context.Context, a *assets.Assets, text, village string) intents.Result {
	res, err := a.Classifier.Classify(ctx, intents.Input{Text: text, ResidentVillage: village})
	if err != nil {
		s.log.Warn("classifier failed; the centre will triage", "err", err)
		return intents.Result{Village: village, Source: intents.SourceFallback}
	}
	if res.Village == "" {
		res.Village = village
	}
	return res
}
