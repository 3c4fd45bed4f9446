package botsim

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Clock tells the simulator the time: message dates, callback expiry and the
// flood limiter use it, so tests can inject a fake one.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// SleepFunc waits for d or until ctx is done. The simulator uses it for
// scripted slow responses and between webhook retries.
type SleepFunc func(ctx context.Context, d time.Duration) error

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type config struct {
	token           string
	bot             User
	clock           Clock
	sleep           SleepFunc
	limits          RateLimits
	callbackTimeout time.Duration
	webhookClient   *http.Client
	webhookRetry    time.Duration
	firstUpdateID   int64
	log             *slog.Logger
}

// Option configures a Server.
type Option func(*config)

// WithToken makes the server answer 401 Unauthorized to any other token.
// Without it every token is accepted.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithBotUser sets what getMe returns and whom bot messages come from.
func WithBotUser(u User) Option { return func(c *config) { c.bot = u } }

// WithClock injects the clock.
func WithClock(clk Clock) Option { return func(c *config) { c.clock = clk } }

// WithSleep injects the wait used for scripted delays and webhook retries.
func WithSleep(s SleepFunc) Option { return func(c *config) { c.sleep = s } }

// WithRateLimits turns on the strict flood limiter; see TelegramLimits.
func WithRateLimits(l RateLimits) Option { return func(c *config) { c.limits = l } }

// WithCallbackTimeout sets how long a callback query can be answered
// (default 15 s; Telegram's window is short and undocumented).
func WithCallbackTimeout(d time.Duration) Option {
	return func(c *config) { c.callbackTimeout = d }
}

// WithWebhookClient sets the HTTP client that posts updates to a webhook.
func WithWebhookClient(hc *http.Client) Option { return func(c *config) { c.webhookClient = hc } }

// WithWebhookRetry sets the first pause after a failed webhook delivery; it
// doubles per failure up to a minute.
func WithWebhookRetry(d time.Duration) Option { return func(c *config) { c.webhookRetry = d } }

// WithFirstUpdateID sets the id of the first update (default 1).
func WithFirstUpdateID(id int64) Option { return func(c *config) { c.firstUpdateID = id } }

// WithLogger sets the logger for webhook delivery problems.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

func defaultConfig() config {
	return config{
		bot:             User{ID: 7000000001, FirstName: "热线助手", Username: "hotline_sim_bot"},
		clock:           systemClock{},
		sleep:           sleep,
		callbackTimeout: 15 * time.Second,
		webhookClient:   &http.Client{Timeout: 30 * time.Second},
		webhookRetry:    time.Second,
		firstUpdateID:   1,
		log:             slog.New(slog.DiscardHandler),
	}
}
