package conversation

import (
	"context"
	"time"
)

// Config tunes what the conversation does with places, pictures, voice and
// emergencies.
type Config struct {
	// GasPhone is the gas company's emergency line, given with the advice
	// for a gas leak; "" leaves gas lines unmentioned.
	GasPhone string
	// AttachWithin is how long after a report a place or photo sent on
	// its own still belongs to it (default 10 minutes).
	AttachWithin time.Duration
}

// Fixed windows of the conversation.
const (
	// defaultAttachWithin is AttachWithin's default.
	defaultAttachWithin = 10 * time.Minute
	// pendingWithin is how long a photo, place or voice message waits for
	// the words (or, before registration, the village) it belongs to.
	pendingWithin = 24 * time.Hour
	// reasonWithin is how long after 未解决 the resident's next text is
	// the reason.
	reasonWithin = 30 * time.Minute
	// notifyWithin is how long a /notify waits for its confirmation.
	notifyWithin = 5 * time.Minute
)

func (c Config) withDefaults() Config {
	if c.AttachWithin <= 0 {
		c.AttachWithin = defaultAttachWithin
	}
	return c
}

// Option configures a Service.
type Option func(*Service)

// WithConfig sets the configuration.
func WithConfig(c Config) Option { return func(s *Service) { s.cfg = c } }

// WithTranscriber turns voice messages into text before they are
// classified; without one a voice message is a ticket for the village
// cadre to listen to.
func WithTranscriber(tr Transcriber) Option { return func(s *Service) { s.stt = tr } }

// Transcriber turns a voice message into text. It is called before the
// write transaction, and must give up by its own timeout: any error leaves
// the voice ticket as it is without a transcript.
type Transcriber interface {
	Transcribe(ctx context.Context, v Voice) (string, error)
}

// transcribe is a voice message's words, or "" when there is no
// transcriber or it failed (logged: the ticket stands without them).
func (s *Service) transcribe(ctx context.Context, v Voice) string {
	if s.stt == nil {
		return ""
	}
	text, err := s.stt.Transcribe(ctx, v)
	if err != nil {
		s.log.Warn("voice message not transcribed; its ticket stands without words", "err", err, "seconds", v.Duration)
		return ""
	}
	return text
}
