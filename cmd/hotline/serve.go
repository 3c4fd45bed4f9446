package main

import (
	"cmp"
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
	"time"

	tg "github.com/go-telegram/bot"
	"golang.org/x/sync/errgroup"

	"hotline/assets"
	"hotline/bot"
	"hotline/botsim"
	"hotline/conversation"
	"hotline/intents"
	"hotline/lockfile"
	"hotline/metrics"
	"hotline/outreach"
	"hotline/reports"
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
	LogFormat     string        // HOTLINE_LOG_FORMAT: text (default) or json
	PublicURL     string        // HOTLINE_PUBLIC_URL: the desk as browsers reach it; "" for http:// + the address served
	Retention     time.Duration // HOTLINE_OUTBOX_RETENTION: sent outbox rows kept this long (0: 30 days)

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
		LogFormat:     getenv("HOTLINE_LOG_FORMAT"),
		PublicURL:     getenv("HOTLINE_PUBLIC_URL"),
		Campaigns:     *campaigns,
		RosterEvery:   time.Minute,
		getenv:        getenv,
		FollowUpEvery: time.Minute,
	}
	retention, err := parseRetention(getenv("HOTLINE_OUTBOX_RETENTION"))
	if err != nil {
		fmt.Fprintln(io.err, "serve:", err)
		return serveConfig{}, errUsage
	}
	cfg.Retention = retention
	if cfg.WebhookURL != "" && cfg.Token == "" {
		fmt.Fprintln(io.err, "serve: TELEGRAM_WEBHOOK_URL needs TELEGRAM_BOT_TOKEN")
		return serveConfig{}, errUsage
	}
	if cfg.WebhookURL != "" && cfg.WebhookSecret == "" {
		fmt.Fprintln(io.err, "serve: TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET, so that nobody else can post updates")
		return serveConfig{}, errUsage
	}
	if err := checkLogFormat(cfg.LogFormat); err != nil {
		fmt.Fprintln(io.err, "serve:", err)
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
	log := newLogger(io.err, cfg.LogFormat, slog.LevelInfo)
	s, err := startServe(ctx, cfg, log)
	if err != nil {
		return err
	}
	return s.Wait()
}

// service is a running hotline.
type service struct {
	log     *slog.Logger
	lock    *lockfile.Lock // one service per database
	store   *storage.DB
	metrics *metrics.Metrics
	ln      net.Listener
	http    *http.Server
	sim     *botsim.Server // local mode only
	simSrv  *http.Server
	simLn   net.Listener
	err     error // why it stopped; set before done is closed
	done    chan struct{}
}

// app is what the service runs: the roster in force, the lifecycle and
// outreach over it, the conversation, and the Telegram adapter.
type app struct {
	live       *assets.Live
	outreach   *outreach.Service
	conv       *conversation.Service
	tickets    *tickets.Service
	talk       conversationSettings // the conversation's, made once the client exists
	client     *tg.Bot
	sender     *bot.Sender
	handler    *bot.Handler
	staffChats []roster.Staff // staff who started the bot, for their menus
	campaigns  int
	web        *web // the desk and the API
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
	s := &service{log: log, done: make(chan struct{})}
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

	// 1. The address first, then the database's lock, then the database:
	// a busy port or a service already running fails before anything is
	// created or written.
	if s.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if err := s.openDB(ctx, cfg); err != nil {
		return nil, err
	}

	// 2. The roster in force, the classifier over it, the lifecycle,
	// outreach and the conversation over the same lifecycle.
	a, err := s.newApp(ctx, cfg)
	if err != nil {
		return nil, err
	}

	// 3. The Bot API (Telegram, or the local stand-in on loopback), the
	// sender that drains the outbox and the handler that turns updates
	// into tickets; then the updates journalled but not processed before
	// the last stop.
	if err := s.connect(ctx, cfg, a); err != nil {
		return nil, err
	}

	// 4. HTTP: /healthz, /metrics, the chat page (local) or the webhook
	// (production); then Telegram is told where updates go.
	s.http = &http.Server{Handler: s.routes(webhookPath, cfg.WebhookSecret, a), ReadHeaderTimeout: 10 * time.Second}
	if err := s.receiveUpdates(ctx, cfg, a.client); err != nil {
		return nil, err
	}

	// 5. Run until ctx ends or a part fails.
	s.run(ctx, stop, s.parts(cfg, a), a.handler)
	s.logStart(cfg, a)
	return s, nil
}

// openDB takes the database's lock and opens it; in local mode it puts
// the demo roster in.
func (s *service) openDB(ctx context.Context, cfg serveConfig) error {
	// A missing directory or a read-only file is named here, before the
	// lock file next to the database is created.
	if err := storage.CheckPath(cfg.DB); err != nil {
		return err
	}
	lock, err := lockfile.Acquire(cfg.DB+".lock", time.Now())
	if err != nil {
		if held := (*lockfile.HeldError)(nil); errors.As(err, &held) {
			return fmt.Errorf("database %s is in use by another hotline serve (%s); stop it first, or give this one its own --db", cfg.DB, held.Holder)
		}
		return fmt.Errorf("lock database %s: %w", cfg.DB, err)
	}
	s.lock = lock
	if s.store, err = storage.Open(ctx, cfg.DB); err != nil {
		return err
	}
	if cfg.Token == "" {
		return importDemoRoster(ctx, s.store)
	}
	return nil
}

// newApp builds the domain services over the database.
func (s *service) newApp(ctx context.Context, cfg serveConfig) (*app, error) {
	campaigns, err := outreach.LoadConfig(cfg.Campaigns)
	if err != nil {
		return nil, err // names the file and the campaign
	}
	model, err := loadModel(cfg.Model)
	if err != nil {
		return nil, err
	}
	wrap, err := secondOpinion(cfg.env, s.log)
	if err != nil {
		return nil, err
	}
	live, err := assets.NewLive(ctx, s.store, func(g *intents.Gazetteer) intents.Classifier {
		return wrap(intents.NewEmbedded(model, g))
	}, s.log)
	if err != nil {
		return nil, err
	}
	policy, err := routing.ParsePolicy(cfg.SLA)
	if err != nil {
		return nil, fmt.Errorf("HOTLINE_SLA: %w", err)
	}
	s.metrics = metrics.New()
	s.metrics.WatchOverdue(s.store, time.Now)
	s.metrics.WatchBacklog(s.store, time.Now)
	s.metrics.WatchSharedCommits(s.store)
	svc := tickets.New(policy, time.Now, s.log, s.metrics)
	out := outreach.New(s.store, live, svc, campaigns, time.Now, s.log)
	out.AddJob(pruneJob(s.store, cmp.Or(cfg.Retention, defaultRetention), time.Now))
	out.SetBacklog(func(ctx context.Context, now time.Time) (reports.Backlog, error) {
		b, err := s.store.OutboxBacklog(ctx, now)
		return reports.Backlog(b), err
	})
	// The desk and the API; /web in the bot signs staff in to them.
	weights, err := reports.ParseWeights(cfg.env("HOTLINE_SCORE_WEIGHTS"))
	if err != nil {
		return nil, fmt.Errorf("HOTLINE_SCORE_WEIGHTS: %w", err)
	}
	web, err := newWeb(webDeps{publicURL: publicURL(cfg.PublicURL, s.ln.Addr()), store: s.store, live: live,
		tickets: svc, outreach: out, log: s.log, local: cfg.Token == "", weights: weights})
	if err != nil {
		return nil, err
	}
	talk, err := readConversationSettings(cfg.env, s.log)
	if err != nil {
		return nil, err
	}
	return &app{live: live, outreach: out, tickets: svc, talk: talk, campaigns: len(campaigns.Campaigns), web: web}, nil
}

// connect sets up the Bot API client, the sender and the handler, and
// replays what the last run journalled but did not process.
func (s *service) connect(ctx context.Context, cfg serveConfig, a *app) error {
	token, apiURL := cfg.Token, cfg.APIURL
	if cfg.Token == "" {
		// The journal keeps the ids of the updates seen; the stand-in
		// goes on after them, or a restart's first messages would look
		// already processed and be dropped.
		last, err := s.store.LastUpdateID(ctx)
		if err != nil {
			return err
		}
		if apiURL, err = s.startSimulator(a.live.Assets().Roster, cfg.wrapAPI, last+1); err != nil {
			return err
		}
		token = localToken
	}
	client, err := bot.NewClient(bot.ClientConfig{Token: token, APIURL: apiURL}, s.store, time.Now, s.log)
	if err != nil {
		return err
	}
	a.client = client
	a.web.files.f.Store(bot.NewFiles(client, nil)) // the desk's photos and voice messages
	a.conv = conversation.New(a.tickets, a.outreach, a.web.signIn, s.log, a.talk.options(client)...)
	a.sender = bot.NewSender(client, s.store, bot.SystemClock{}, bot.DefaultLimits(), s.metrics, s.log)
	a.handler = bot.NewHandler(s.store, a.live, a.conv, a.outreach, a.sender, client, s.metrics, time.Now, s.log)
	if n, err := a.handler.Replay(ctx); err != nil {
		return fmt.Errorf("replay: %w", err)
	} else if n > 0 {
		s.log.Info("replayed unprocessed updates", "count", n)
	}
	a.staffChats, err = startedStaff(ctx, s.store, a.live.Assets().Roster)
	return err
}

// routes are the HTTP endpoints.
func (s *service) routes(webhookPath, secret string, a *app) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.metrics.Handler(s.log))
	a.web.mount(mux, a.sender.Notify) // the centre's desk (/desk/) and the JSON API (/api/v1/)
	if s.sim != nil {
		page := s.sim.Handler()
		mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/bot") || strings.HasPrefix(r.URL.Path, "/file/") {
				http.NotFound(w, r) // the Bot API and its files stay on their own loopback port
				return
			}
			page.ServeHTTP(w, r)
		}))
	}
	if webhookPath != "" {
		mux.Handle("POST "+webhookPath, a.handler.WebhookHandler(secret))
	}
	return mux
}

// receiveUpdates sets the webhook, or clears a leftover one for polling.
// Telegram may post at once; the listener queues it until Serve.
func (s *service) receiveUpdates(ctx context.Context, cfg serveConfig, client *tg.Bot) error {
	if cfg.WebhookURL != "" {
		return bot.SetWebhook(ctx, client, cfg.WebhookURL, cfg.WebhookSecret)
	}
	if err := bot.DeleteWebhook(ctx, client); err != nil {
		// Not fatal: with no webhook set there is nothing to delete, and if
		// one is set, polling says so loudly on every attempt.
		s.log.Warn("could not delete a leftover webhook; polling anyway", "err", err)
	}
	return nil
}

// part is one thing the service runs until its context ends. An error
// from any part stops the whole service.
type part struct {
	name string
	run  func(ctx context.Context) error
}

func (s *service) parts(cfg serveConfig, a *app) []part {
	ps := []part{
		{"http", func(context.Context) error {
			if err := s.http.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		}},
		{"sender", a.sender.Run},
		{"search", func(ctx context.Context) error { keepSearchIndexed(ctx, s.store, time.Second, s.log); return nil }},
		{"roster", func(ctx context.Context) error { a.live.Watch(ctx, cfg.RosterEvery); return nil }},
		{"outreach", func(ctx context.Context) error {
			// Catches up on runs missed while down, then runs campaigns
			// on their schedules and the follow-up jobs every interval;
			// the sender is woken after each, as after every update.
			every := cfg.FollowUpEvery
			if every <= 0 {
				every = time.Minute
			}
			return a.outreach.Start(ctx, every, a.sender.Notify)
		}},
		// An update whose handling failed is tried again soon, not only
		// at the next start, and given up (its sender told) after a few
		// failures.
		{"retry", func(ctx context.Context) error { a.handler.RetryFailed(ctx, time.Minute); return nil }},
		{"commands", func(ctx context.Context) error {
			// The menus are a convenience (typed commands work without
			// them), and one call per staff chat should not delay the start.
			if err := a.handler.SetCommands(ctx, a.staffChats); err != nil {
				s.log.Warn("command menu not set", "err", err)
			}
			return nil
		}},
	}
	if cfg.WebhookURL == "" {
		ps = append(ps, part{"poll", func(ctx context.Context) error { bot.Poll(ctx, a.client, a.handler); return nil }})
	}
	return ps
}

// run starts the parts in an errgroup: the first to fail cancels the
// others' context, which also starts the shutdown.
func (s *service) run(ctx context.Context, stop context.CancelFunc, parts []part, h *bot.Handler) {
	g, gctx := errgroup.WithContext(ctx)
	for _, p := range parts {
		g.Go(func() error {
			if err := p.run(gctx); err != nil {
				s.log.Error("stopped; shutting down", "part", p.name, "err", err)
				return fmt.Errorf("%s: %w", p.name, err)
			}
			return nil
		})
	}
	go s.shutdownOn(gctx, stop, g, h)
}

// shutdownOn stops the service in order once ctx ends: the HTTP server
// (in-flight webhook deliveries finish), then the parts and the handler's
// background calls, then the local Bot API they talked to, then the
// database and its lock.
func (s *service) shutdownOn(ctx context.Context, stop context.CancelFunc, g *errgroup.Group, h *bot.Handler) {
	<-ctx.Done()
	s.log.Info("hotline stopping")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.http.Shutdown(sctx); err != nil {
		s.log.Warn("http shutdown", "err", err)
	}
	if s.sim != nil {
		s.sim.Close() // ends a pending long poll at once
	}
	s.err = g.Wait()
	h.Wait()
	stop()
	if s.simSrv != nil {
		if err := s.simSrv.Shutdown(sctx); err != nil {
			s.log.Warn("local Bot API shutdown", "err", err)
		}
	}
	s.closeAll()
	s.log.Info("hotline stopped")
	close(s.done)
}

// logStart says once what is running, where, over which roster.
func (s *service) logStart(cfg serveConfig, a *app) {
	mode := "polling"
	switch {
	case s.sim != nil:
		mode = "local"
		s.log.Info("local mode: open the chat page to act as any demo resident or staff member", "url", s.URL())
	case cfg.WebhookURL != "":
		mode = "webhook"
	}
	r := a.live.Assets()
	s.log.Info("hotline serving", "mode", mode, "db", s.store.Path(), "addr", s.ln.Addr().String(),
		"roster_import", r.ImportID, "villages", len(r.Roster.Villages), "staff", len(r.Roster.Staff),
		"staff_started", len(a.staffChats), "campaigns", a.campaigns)
}

// URL is where the HTTP endpoints answer.
func (s *service) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// Wait blocks until the service has stopped and returns what went wrong.
func (s *service) Wait() error {
	<-s.done
	return s.err
}

// closeAll closes what is open, the database before its lock.
func (s *service) closeAll() {
	if s.simLn != nil {
		s.simLn.Close()
	}
	if s.ln != nil {
		s.ln.Close()
	}
	if s.store != nil {
		if err := s.store.Close(); err != nil {
			s.log.Warn("close database", "err", err)
		}
	}
	if s.lock != nil {
		if err := s.lock.Release(); err != nil {
			s.log.Warn("release database lock", "err", err)
		}
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
// Its update ids start at firstUpdate.
func (s *service) startSimulator(r *roster.Roster, wrap func(http.Handler) http.Handler, firstUpdate int64) (string, error) {
	s.sim = botsim.New(botsim.WithToken(localToken), botsim.WithFirstUpdateID(firstUpdate))
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
	// Not one of the parts in the errgroup: the poller and the sender talk to it
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

// demoUsers are the residents and staff of the chat page; a staff member's
// chat links to the desk (local mode signs them in through /desk/local/).
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
		users = append(users, botsim.User{ID: int64(st.TelegramID), FirstName: st.Name, Label: st.Name + " · " + st.Role.Chinese() + scope,
			Link: &botsim.PageLink{Text: "打开工作台", URL: fmt.Sprintf("/desk/local/%d", st.TelegramID)}})
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
