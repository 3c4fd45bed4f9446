package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"hotline/api"
	"hotline/assets"
	"hotline/bot"
	"hotline/desk"
	"hotline/outreach"
	"hotline/reports"
	"hotline/signin"
	"hotline/storage"
	"hotline/tickets"
)

// webDeps is what the desk and the API are built from.
type webDeps struct {
	publicURL string
	store     *storage.DB
	live      assets.Source
	tickets   *tickets.Service
	outreach  *outreach.Service
	log       *slog.Logger
	local     bool
	weights   reports.Weights // the 12345 scorecard's (HOTLINE_SCORE_WEIGHTS)
}

// web is the centre's desk and the JSON API, with the sign-in service
// that the bot's /web shares with them.
type web struct {
	signIn *signin.Service
	desk   *desk.Server
	api    *api.Server
	notify func() // wakes the sender; set by mount, before anything is served
	files  lateFiles
}

// lateFiles fetches files for the desk's media proxy through the Bot API
// client, which is made after the desk (connect): until then every file
// is unavailable.
type lateFiles struct{ f atomic.Pointer[bot.Files] }

func (l *lateFiles) Open(ctx context.Context, fileID string) (io.ReadCloser, int64, string, error) {
	f := l.f.Load()
	if f == nil {
		return nil, 0, "", errors.New("the Bot API client is not connected yet")
	}
	return f.Open(ctx, fileID)
}

func newWeb(d webDeps) (*web, error) {
	sign, err := signin.New(d.publicURL, time.Now)
	if err != nil {
		return nil, fmt.Errorf("HOTLINE_PUBLIC_URL: %w", err)
	}
	w := &web{signIn: sign}
	notify := func() { w.notify() }
	cfg := api.Config{DB: d.store, Assets: d.live, Tickets: d.tickets, SignIn: sign, Notify: notify, Now: time.Now, Log: d.log,
		ScoreWeights: d.weights, Files: &w.files}
	if w.desk, err = desk.New(desk.Config{Config: cfg, Outreach: d.outreach, Local: d.local}); err != nil {
		return nil, err
	}
	w.api = api.New(cfg)
	return w, nil
}

// mount serves the desk under /desk/ and the API under /api/v1/; their
// changes wake notify (the sender).
func (w *web) mount(mux *http.ServeMux, notify func()) {
	w.notify = notify
	mux.Handle("/desk/", w.desk)
	mux.Handle("/api/v1/", w.api)
}

// publicURL is the desk's address for sign-in links: HOTLINE_PUBLIC_URL,
// else http:// and the address served (loopback for one that listens on
// every interface, which no browser can open).
func publicURL(configured string, addr net.Addr) string {
	if configured != "" {
		return configured
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// searchBatch is how many tickets one indexing transaction adds: small
// enough that the single writer is never held long.
const searchBatch = 500

// keepSearchIndexed adds new tickets to the full-text index beside intake,
// every interval, until ctx ends; searches cover the rest meanwhile.
func keepSearchIndexed(ctx context.Context, store *storage.DB, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for {
			n, err := store.IndexSearch(ctx, searchBatch)
			if err != nil {
				if ctx.Err() == nil {
					log.Warn("search index", "err", err)
				}
				break
			}
			if n < searchBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
