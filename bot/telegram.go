package bot

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/storage"
)

// allowedUpdates are the update types the hotline reads.
var allowedUpdates = []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember}

// ClientConfig says how to reach the Bot API.
type ClientConfig struct {
	Token       string
	APIURL      string        // "" for Telegram's; a local stand-in in local mode and tests
	PollTimeout time.Duration // long-poll wait; 0 for 30 s
	Transport   http.RoundTripper
}

// NewClient returns a go-telegram/bot client. Its getUpdates responses are
// journalled before the library sees them: the library moves its offset
// on in memory, and Telegram forgets updates once the next poll confirms
// them, so an update must be in the journal before that can happen. The
// journal is replayed at start (Handler.Replay).
//
// The library hands updates over one at a time and in order
// (WithNotAsyncHandlers): Poll's handler only takes each update's place
// among its chat's (Handler.Dispatch), so that one chat's updates are
// handled in the order sent — a registration and the report right after
// it, a 办结 press and the note that follows — while different chats'
// are handled side by side.
func NewClient(cfg ClientConfig, db *storage.DB, now func() time.Time, log *slog.Logger) (*tg.Bot, error) {
	poll := cfg.PollTimeout
	if poll <= 0 {
		poll = 30 * time.Second
	}
	rt := cfg.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc := &journalingClient{
		next: &http.Client{Transport: rt, Timeout: poll + 15*time.Second},
		db:   db, now: now,
	}
	opts := []tg.Option{
		tg.WithHTTPClient(poll, hc),
		tg.WithNotAsyncHandlers(),
		tg.WithWorkers(1), // the default today; ordering depends on it, so say so
		tg.WithAllowedUpdates(allowedUpdates),
		tg.WithDefaultHandler(func(context.Context, *tg.Bot, *models.Update) {}),
		tg.WithErrorsHandler(func(err error) { log.Warn("telegram", "err", err) }),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tg.WithServerURL(strings.TrimRight(cfg.APIURL, "/")))
	}
	b, err := tg.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram client: %w", err)
	}
	return b, nil
}

// journalingClient journals every update of a getUpdates response.
type journalingClient struct {
	next tg.HttpClient
	db   *storage.DB
	now  func() time.Time
}

func (c *journalingClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.next.Do(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/getUpdates") || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read updates: %w", err)
	}
	var r struct {
		OK     bool              `json:"ok"`
		Result []json.RawMessage `json:"result"`
	}
	if json.Unmarshal(body, &r) == nil && r.OK && len(r.Result) > 0 {
		ups := make([]storage.RawUpdate, 0, len(r.Result))
		for _, raw := range r.Result {
			var u struct {
				ID int64 `json:"update_id"`
			}
			if err := json.Unmarshal(raw, &u); err != nil || u.ID == 0 {
				continue // the library reports what it cannot decode
			}
			ups = append(ups, storage.RawUpdate{ID: u.ID, Raw: raw})
		}
		// One transaction for the whole response: up to 100 updates.
		if err := c.db.JournalUpdates(req.Context(), ups, c.now()); err != nil {
			// Failing the poll keeps the offset where it was, so
			// Telegram delivers the same updates again.
			return nil, err
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// DeleteWebhook removes a webhook left over from an earlier run, which
// would make getUpdates fail; call it before Poll.
func DeleteWebhook(ctx context.Context, b *tg.Bot) error {
	if _, err := b.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	return nil
}

// Poll long-polls until ctx ends, handing each update to h in order
// (Handler.Dispatch keeps each chat's order and handles different chats'
// updates side by side).
func Poll(ctx context.Context, b *tg.Bot, h *Handler) {
	id := b.RegisterHandlerMatchFunc(func(*models.Update) bool { return true }, func(ctx context.Context, _ *tg.Bot, upd *models.Update) {
		h.Dispatch(ctx, upd)
	})
	defer b.UnregisterHandler(id)
	b.Start(ctx)
	h.Wait()
}

// webhookConnections is how many deliveries Telegram may make at once
// (its default, and its most is 100). Telegram sends the updates of one
// chat one after another, each once the previous one was answered, and
// the handler keeps one chat's updates in order besides, so connections
// in parallel only let different chats' updates overlap: at a 150 ms
// round trip one connection carries about 7 updates a second.
const webhookConnections = 40

// SetWebhook tells Telegram where to post updates and with which secret.
func SetWebhook(ctx context.Context, b *tg.Bot, url, secret string) error {
	_, err := b.SetWebhook(ctx, &tg.SetWebhookParams{URL: url, SecretToken: secret, AllowedUpdates: allowedUpdates, MaxConnections: webhookConnections})
	if err != nil {
		return fmt.Errorf("set webhook: %w", err)
	}
	return nil
}

// maxUpdateBytes bounds a webhook body; real updates are a few kilobytes.
const maxUpdateBytes = 1 << 20

// WebhookHandler receives updates posted by Telegram, several at once. It
// answers 200 only after the update is journalled, so an update is never
// acknowledged and then lost; it then processes it before answering, so
// that Telegram's next delivery for the same chat sees its effects, and
// the handler keeps the updates of one chat one at a time while other
// chats' go side by side. A wrong secret gets 401 (go-telegram/bot's own
// handler drops it silently with 200).
func (h *Handler) WebhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret != "" && subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			h.log.Warn("webhook: wrong secret token", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
		if err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		var upd models.Update
		if err := json.Unmarshal(raw, &upd); err != nil || upd.ID == 0 {
			h.log.Warn("webhook: not an update", "err", err)
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		if err := h.db.JournalUpdate(r.Context(), upd.ID, raw, h.now()); err != nil {
			h.log.Error("webhook: journal", "update", upd.ID, "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		err = h.Process(context.WithoutCancel(r.Context()), &upd)
		if err != nil && !errors.Is(err, context.Canceled) {
			// Journalled and counted: Handler.RetryFailed tries it again
			// and gives it up after a few failures. Telegram must not
			// retry a poison update forever, so still answer 200.
			h.log.Warn("webhook: update kept for replay", "update", upd.ID)
		}
		w.WriteHeader(http.StatusOK)
	})
}
