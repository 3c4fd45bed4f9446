package main

import (
	"fmt"
	"io"
	"log/slog"
)

// Log formats, from HOTLINE_LOG_FORMAT.
const (
	logText = "text" // the default: key=value lines for a person reading journalctl
	logJSON = "json" // one JSON object a line, for a log collector
)

// checkLogFormat refuses a HOTLINE_LOG_FORMAT other than text or json, so
// that a typo does not quietly give the collector lines it cannot parse.
func checkLogFormat(format string) error {
	switch format {
	case "", logText, logJSON:
		return nil
	}
	return fmt.Errorf("HOTLINE_LOG_FORMAT is %q; want %s or %s", format, logText, logJSON)
}

// newLogger writes to w at level and above, as text or JSON.
func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == logJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
