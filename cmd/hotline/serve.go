package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"hotline/assets"
	"hotline/bot"
	"hotline/botsim"
	"hotline/conversation"
	"hotline/intents"
	"hotline/outreach"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// serveConfig is what "hotline serve" runs with, from flags and environment.
type serveConfig struct {
	DB            string
	Addr          string
	Model         string // classifier model file; "" for the embedded model
	Token         string // TELEGRAM_BOT_TOKEN; "" for local mode
	APIURL        string // TELEGRAM_API_URL; "" for Telegram's
	WebhookURL    string // TELEGRAM_WEBHOOK_URL; "" for long polling
	WebhookSecret string // TELEGRAM_WEBHOOK_SECRET
	SLA           string // HOTLINE_SLA, see routing.ParsePolicy
	Campaigns     string // --campaigns / HOTLINE_CAMPAIGNS; "" for the built-in campaigns
	RosterEvery   time.Duration
	FollowUpEvery time.Duration // outreach's follow-up jobs (deadlines, signals, "fixed?")

	// getenv reads the optional settings (OLLAMA_*); nil reads none.
	getenv func(string) string

	// wrapAPI wraps the local Bot API's handler; tests use it to wait for
	// the bot's calls instead of sleeping.
	wrapAPI func(http.Handler) http.Handler
}

func parseServe(io stdio, args []string, getenv func(string) string) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.err)
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "HTTP address: chat page (local mode), webhook, /healthz")
	model := fs.String("model", "", "classifier model file (default: the embedded model)")
	campaigns := fs.String("campaigns", getenv("HOTLINE_CAMPAIGNS"), "campaigns file over the built-in ones (env HOTLINE_CAMPAIGNS)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return serveConfig{}, err
		}
		return serveConfig{}, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "serve: unexpected argument %q\n", fs.Arg(0))
		return serveConfig{}, errUsage
	}
	cfg := serveConfig{
		DB: *db, Addr: *addr, Model: *model,
		Token:         getenv("TELEGRAM_BOT_TOKEN"),
		APIURL:        getenv("TELEGRAM_API_URL"),
		WebhookURL:    getenv("TELEGRAM_WEBHOOK_URL"),
		WebhookSecret: getenv("TELEGRAM_WEBHOOK_SECRET"),
		SLA:           getenv("HOTLINE_SLA"),
		Campaigns:     *campaigns,
		RosterEvery:   time.Minute,
		getenv:        getenv,
		FollowUpEvery: time.Minute,
	}
	if cfg.WebhookURL != "" && cfg.Token == "" {
		fmt.Fprintln(io.err, "serve: TELEGRAM_WEBHOOK_URL needs TELEGRAM_BOT_TOKEN")
		return serveConfig{}, errUsage
	}
	if cfg.WebhookURL != "" && cfg.WebhookSecret == "" {
		fmt.Fprintln(io.err, "serve: TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET, so that nobody else can post updates")
		return serveConfig{}, errUsage
	}
	return cfg, nil
}

// runServe is "hotline serve": the bot, the sender and the HTTP endpoints,
// until ctx ends.
func runServe(ctx context.Context, io stdio, args []string) error {
	cfg, err := parseServe(io, args, os.Getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(io.err, nil))
	s, err := startServe(ctx, cfg, log)
	if err != nil {
		return err
	}
	return s.Wait()
}

// service is a running hotline.
type service struct {
	log    *slog.Logger
	store  *storage.DB
	ln     net.Listener
	http   *http.Server
	sim    *botsim.Server // local mode only
	simSrv *http.Server
	simLn  net.Listener
	stop   context.CancelFunc // a part that fails stops the whole service
	wg     sync.WaitGroup
	errMu  sync.Mutex
	err    error
	done   chan struct{}
}

// localToken is the token of the in-process stand-in; it never leaves the machine.
const localToken = "000000:local"

// env reads an optional setting.
func (c serveConfig) env(key string) string {
	if c.getenv == nil {
		return ""
	}
	return c.getenv(key)
}

// startServe starts everything in clear steps. It returns once the
// service answers.
func startServe(parent context.Context, cfg serveConfig, log *slog.Logger) (_ *service, err error) {
	ctx, stop := context.WithCancel(parent)
	s := &service{log: log, stop: stop, done: make(chan struct{})}
	defer func() {
		if err != nil {
			stop()
			s.closeAll()
		}
	}()

	webhookPath, err := checkWebhookURL(cfg.WebhookURL)
	if err != nil {
		return nil, err
	}

	// 1. The database, and in local mode the demo roster in it.
	if s.store, err = storage.Open(ctx, cfg.DB); err != nil {
		return nil, err
	}
	local := cfg.Token == ""
	if local {
		if err := importDemoRoster(ctx, s.store); err != nil {
			return nil, err
		}
	}

	// 2. The roster in force, the classifier over it, the lifecycle, and
	// outreach (campaigns and follow-ups) over the same lifecycle.
	campaigns, err := outreach.LoadConfig(cfg.Campaigns)
	if err != nil {
		return nil, err // names the file and the campaign
	}
	model, err := loadModel(cfg.Model)
	if err != nil {
		return nil, err
	}
	wrap, err := secondOpinion(cfg.env, log)
	if err != nil {
		return nil, err
	}
	live, err := assets.NewLive(ctx, s.store, func(g *intents.Gazetteer) intents.Classifier {
		return wrap(intents.NewEmbedded(model, g))
	}, log)
	if err != nil {
		return nil, err
	}
	policy, err := routing.ParsePolicy(cfg.SLA)
	if err != nil {
		return nil, fmt.Errorf("HOTLINE_SLA: %w", err)
	}
	svc := tickets.New(policy, time.Now, log, nil)
	out := outreach.New(s.store, live, svc, campaigns, time.Now, log)
	conv := conversation.New(svc, out, log)

	// 3. The Bot API: Telegram, or the local stand-in on loopback.
	token, apiURL := cfg.Token, cfg.APIURL
	if local {
		if apiURL, err = s.startSimulator(live.Assets().Roster, cfg.wrapAPI); err != nil {
			return nil, err
		}
		token = localToken
	}
	client, err := bot.NewClient(bot.ClientConfig{Token: token, APIURL: apiURL}, s.store, time.Now, log)
	if err != nil {
		return nil, err
	}

	// 4. The sender drains the outbox; the handler turns updates into tickets.
	sender := bot.NewSender(client, s.store, bot.SystemClock{}, bot.DefaultLimits(), log)
	h := bot.NewHandler(s.store, live, conv, out, sender, client, nil, time.Now, log)

	// 5. Updates journalled but not processed before the last stop.
	if n, err := h.Replay(ctx); err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	} else if n > 0 {
		log.Info("replayed unprocessed updates", "count", n)
	}
	staffChats, err := startedStaff(ctx, s.store, live.Assets().Roster)
	if err != nil {
		return nil, err
	}

	// 6. HTTP: /healthz, the chat page (local) or the webhook (production).
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	if local {
		page := s.sim.Handler()
		mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/bot") {
				http.NotFound(w, r) // the Bot API stays on its own loopback port
				return
			}
			page.ServeHTTP(w, r)
		}))
	}
	if webhookPath != "" {
		mux.Handle("POST "+webhookPath, h.WebhookHandler(cfg.WebhookSecret))
	}
	if s.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if cfg.WebhookURL != "" {
		// Telegram may post at once; the listener queues it until Serve.
		if err := bot.SetWebhook(ctx, client, cfg.WebhookURL, cfg.WebhookSecret); err != nil {
			return nil, err
		}
	} else if err := bot.DeleteWebhook(ctx, client); err != nil {
		// Not fatal: with no webhook set there is nothing to delete, and if
		// one is set, polling says so loudly on every attempt.
		log.Warn("could not delete a leftover webhook; polling anyway", "err", err)
	}
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	// 7. Run until ctx ends.
	s.goRun("http", func() error {
		if err := s.http.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	s.goRun("sender", func() error { return sender.Run(ctx) })
	s.goRun("roster", func() error { live.Watch(ctx, cfg.RosterEvery); return nil })
	s.goRun("outreach", func() error {
		// Catches up on runs missed while down, then runs campaigns on
		// their schedules and the follow-up jobs every interval; the
		// sender is woken after each, as after every update.
		every := cfg.FollowUpEvery
		if every <= 0 {
			every = time.Minute
		}
		return out.Start(ctx, every, sender.Notify)
	})
	if cfg.WebhookURL == "" {
		s.goRun("poll", func() error { bot.Poll(ctx, client, h); return nil })
	}
	// An update whose handling failed is tried again soon, not only at the
	// next start, and given up (its sender told) after a few failures.
	s.goRun("retry", func() error { h.RetryFailed(ctx, time.Minute); return nil })
	s.goRun("commands", func() error {
		// The menus are a convenience (typed commands work without them),
		// and one call per staff chat should not delay the start.
		if err := h.SetCommands(ctx, staffChats); err != nil {
			log.Warn("command menu not set", "err", err)
		}
		return nil
	})
	go s.shutdownOn(ctx, h)

	mode := "polling"
	switch {
	case local:
		mode = "local"
		log.Info("local mode: open the chat page to act as any demo resident or staff member", "url", s.URL())
	case cfg.WebhookURL != "":
		mode = "webhook"
	}
	log.Info("hotline serving", "mode", mode, "db", s.store.Path(), "addr", s.ln.Addr().String())
	return s, nil
}

// URL is where the HTTP endpoints answer.
func (s *service) URL() string { return "http://" + s.ln.Addr().String() + "/" }

func (s *service) goRun(name string, fn func() error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := fn(); err != nil {
			s.log.Error("stopped; shutting down", "part", name, "err", err)
			s.errMu.Lock()
			s.err = errors.Join(s.err, fmt.Errorf("%s: %w", name, err))
			s.errMu.Unlock()
			s.stop()
		}
	}()
}

// shutdownOn stops the HTTP server gracefully when ctx ends, waits for
// the parts to finish, and closes the database.
func (s *service) shutdownOn(ctx context.Context, h *bot.Handler) {
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.http.Shutdown(sctx); err != nil {
		s.log.Warn("http shutdown", "err", err)
	}
	if s.sim != nil {
		s.sim.Close() // ends a pending long poll at once
	}
	s.wg.Wait()
	h.Wait()
	if s.simSrv != nil {
		if err := s.simSrv.Shutdown(sctx); err != nil {
			s.log.Warn("local Bot API shutdown", "err", err)
		}
	}
	s.closeAll()
	close(s.done)
}

// Wait blocks until the service has stopped and returns what went wrong.
func (s *service) Wait() error {
	<-s.done
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

func (s *service) closeAll() {
	if s.simLn != nil {
		s.simLn.Close()
	}
	if s.ln != nil {
		s.ln.Close()
	}
	if s.store != nil {
		s.store.Close()
	}
}

// healthz answers 200 "ok" when the database answers.
func (s *service) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.store.LatestRosterImport(ctx); err != nil {
		s.log.Warn("healthz", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, "ok")
}

// startSimulator runs the Bot API stand-in on a loopback port, with every
// demo staff member and a few demo residents as users of the chat page.
func (s *service) startSimulator(r *roster.Roster, wrap func(http.Handler) http.Handler) (string, error) {
	s.sim = botsim.New(botsim.WithToken(localToken))
	var api http.Handler = s.sim.Handler()
	if wrap != nil {
		api = wrap(api)
	}
	for _, u := range demoUsers(r) {
		s.sim.AddUser(u)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("listen for the local Bot API: %w", err)
	}
	s.simLn = ln
	s.simSrv = &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}
	// Not one of the parts in s.wg: the poller and the sender talk to it
	// until they stop, so it stops after them.
	go func() {
		if err := s.simSrv.Serve(ln); !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			s.log.Error("local Bot API stopped", "err", err)
		}
	}()
	return "http://" + ln.Addr().String(), nil
}

// demoResidents are the residents a person can act as on the chat page.
var demoResidents = []botsim.User{
	{ID: 900000001, FirstName: "张大爷", Label: "张大爷 · 居民（未登记）"},
	{ID: 900000002, FirstName: "李奶奶", Label: "李奶奶 · 居民（未登记）"},
	{ID: 900000003, FirstName: "王阿姨", Label: "王阿姨 · 居民（未登记）"},
	{ID: 900000004, FirstName: "赵师傅", Label: "赵师傅 · 居民（未登记）"},
}

func demoUsers(r *roster.Roster) []botsim.User {
	users := append([]botsim.User(nil), demoResidents...)
	for _, st := range r.Staff {
		scope := ""
		switch st.Role {
		case roster.VillageCadre:
			scope = " · " + strings.Join(st.Villages, "、")
		case roster.AreaLeader:
			scope = " · " + st.Area
		}
		users = append(users, botsim.User{ID: int64(st.TelegramID), FirstName: st.Name, Label: st.Name + " · " + st.Role.Chinese() + scope})
	}
	return users
}

// importDemoRoster puts the demo roster into an empty database so that
// local mode shows the same roster the bot routes with.
func importDemoRoster(ctx context.Context, store *storage.DB) error {
	return store.Update(ctx, func(tx *storage.Tx) error {
		_, ok, err := tx.Roster(ctx)
		if err != nil || ok {
			return err
		}
		return tx.ReplaceRoster(ctx, roster.Demo(), "demo (local mode)", time.Now())
	})
}

// checkWebhookURL returns the path the webhook is served on ("" without one).
func checkWebhookURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("TELEGRAM_WEBHOOK_URL %q is not an http(s) URL", raw)
	}
	if u.Path == "" {
		return "/", nil
	}
	return u.Path, nil
}

func loadModel(path string) (*intents.Model, error) {
	if path == "" {
		return intents.DefaultModel()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	defer f.Close()
	m, err := intents.Load(f)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	return m, nil
}

// startedStaff lists the staff chats that started the bot, for their menus.
func startedStaff(ctx context.Context, store *storage.DB, r *roster.Roster) ([]roster.Staff, error) {
	var out []roster.Staff
	err := store.View(ctx, func(tx *storage.Tx) error {
		for _, st := range r.Staff {
			ok, err := tx.Reachable(ctx, int64(st.TelegramID))
			if err != nil {
				return err
			}
			if ok {
				out = append(out, st)
			}
		}
		return nil
	})
	return out, err
}
