package main

import (
	"cmp"
	"fmt"
	"log/slog"
	"time"

	tg "github.com/go-telegram/bot"

	"hotline/bot"
	"hotline/conversation"
	"hotline/speech"
)

// conversationSettings are the conversation's optional settings: the gas
// company's line for the gas-leak advice (HOTLINE_GAS_PHONE), how long
// after a report a place or photo still joins it (HOTLINE_ATTACH_WINDOW,
// default 10m) and voice transcription (HOTLINE_STT_URL, off when empty;
// HOTLINE_STT_MODEL; HOTLINE_STT_TIMEOUT, default 10s).
type conversationSettings struct {
	cfg conversation.Config
	stt *speech.Client // nil: off
}

func readConversationSettings(getenv func(string) string, log *slog.Logger) (conversationSettings, error) {
	var s conversationSettings
	s.cfg.GasPhone = getenv("HOTLINE_GAS_PHONE")
	if v := getenv("HOTLINE_ATTACH_WINDOW"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return s, fmt.Errorf("HOTLINE_ATTACH_WINDOW %q: want a positive duration such as 10m", v)
		}
		s.cfg.AttachWithin = d
	}
	url := getenv("HOTLINE_STT_URL")
	if url == "" {
		return s, nil
	}
	cfg := speech.Config{URL: url, Model: getenv("HOTLINE_STT_MODEL")}
	if v := getenv("HOTLINE_STT_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return s, fmt.Errorf("HOTLINE_STT_TIMEOUT %q: want a positive duration such as 10s", v)
		}
		cfg.Timeout = d
	}
	stt, err := speech.New(cfg, nil)
	if err != nil {
		return s, fmt.Errorf("HOTLINE_STT_URL: %w", err)
	}
	s.stt = stt
	log.Info("voice transcription on", "url", url, "model", cmp.Or(cfg.Model, speech.DefaultModel), "timeout", stt.Timeout())
	return s, nil
}

// options are the conversation's options over the Bot API client, which
// fetches voice messages for transcription.
func (s conversationSettings) options(client *tg.Bot) []conversation.Option {
	opts := []conversation.Option{conversation.WithConfig(s.cfg)}
	if s.stt != nil {
		opts = append(opts, conversation.WithTranscriber(bot.NewVoiceTranscriber(client, nil, s.stt)))
	}
	return opts
}
