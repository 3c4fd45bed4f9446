package botsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

var secretTokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// webhook is an active setWebhook. Like Telegram, it posts the pending
// updates over up to maxConn requests at once, and the updates of one
// chat one after another: the next only once the one before was answered
// with 2xx. A failed delivery is retried with a doubling pause, and holds
// back the later updates of its chat meanwhile.
type webhook struct {
	url     string
	secret  string
	maxConn int
	lastAt  time.Time
	lastErr string
	busy    map[queueKey]bool // queues with a delivery in flight
	cancel  context.CancelFunc
	done    chan struct{}
}

func (h *webhook) stop() {
	h.cancel()
	<-h.done
}

func (s *Server) setWebhook(ctx context.Context, p params) (any, *apiError) {
	raw := strings.TrimSpace(p["url"])
	if raw == "" {
		return s.deleteWebhook(ctx, p)
	}
	// Telegram demands HTTPS on ports 443, 80, 88 or 8443; the simulator also
	// takes plain http so that tests can use httptest servers.
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := p["secret_token"]
	if secret != "" && !secretTokenRE.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	maxConn := 40
	if n, ok := p.int("max_connections"); ok && n >= 1 && n <= 100 {
		maxConn = int(n)
	}
	var allowed map[string]bool
	rawAllowed, setAllowed := p["allowed_updates"]
	if setAllowed {
		var kinds []string
		if err := json.Unmarshal([]byte(rawAllowed), &kinds); err != nil {
			return nil, badRequest("can't parse allowed updates JSON array")
		}
		for _, k := range kinds {
			if allowed == nil {
				allowed = map[string]bool{}
			}
			allowed[k] = true
		}
	}

	s.stopWebhook()
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.updates.pending = nil
	}
	if setAllowed {
		s.updates.allowed = allowed
	}
	s.updates.abortPoll()
	hctx, cancel := context.WithCancel(context.Background())
	h := &webhook{url: raw, secret: secret, maxConn: maxConn, busy: map[queueKey]bool{}, cancel: cancel, done: make(chan struct{})}
	s.hook = h
	go s.deliver(hctx, h)
	return true, nil
}

func (s *Server) deleteWebhook(_ context.Context, p params) (any, *apiError) {
	s.stopWebhook()
	if p.bool("drop_pending_updates") {
		s.mu.Lock()
		s.updates.pending = nil
		s.mu.Unlock()
	}
	return true, nil
}

// stopWebhook ends delivery and waits for the delivering goroutine, so that
// no update is posted twice by an old and a new webhook.
func (s *Server) stopWebhook() {
	s.mu.Lock()
	h := s.hook
	s.hook = nil
	s.mu.Unlock()
	if h != nil {
		h.stop()
	}
}

func (s *Server) getWebhookInfo(_ context.Context, _ params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := wireWebhookInfo{PendingUpdateCount: len(s.updates.pending)}
	if h := s.hook; h != nil {
		info.URL, info.MaxConnections, info.LastErrorMessage = h.url, h.maxConn, h.lastErr
		if !h.lastAt.IsZero() {
			info.LastErrorDate = h.lastAt.Unix()
		}
	}
	for k := range s.updates.allowed {
		info.AllowedUpdates = append(info.AllowedUpdates, k)
	}
	return info, nil
}

// deliver runs maxConn delivering goroutines until ctx ends.
func (s *Server) deliver(ctx context.Context, h *webhook) {
	defer close(h.done)
	var wg sync.WaitGroup
	for range h.maxConn {
		wg.Go(func() { s.deliverLoop(ctx, h) })
	}
	wg.Wait()
}

// deliverLoop is one connection: it posts the first pending update whose
// chat has no delivery in flight, waiting for one when there is none.
func (s *Server) deliverLoop(ctx context.Context, h *webhook) {
	pause := s.cfg.webhookRetry
	for {
		s.mu.Lock()
		e, key, ok := s.nextDeliveryLocked(h)
		if !ok {
			sig := s.updates.signal
			s.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-sig:
				continue
			}
		}
		h.busy[key] = true
		s.mu.Unlock()

		err := s.post(ctx, h, e.upd)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			s.mu.Lock()
			s.updates.remove(e)
			delete(h.busy, key)
			s.updates.wake() // the chat's next update may go now
			s.mu.Unlock()
			pause = s.cfg.webhookRetry
			continue
		}
		s.mu.Lock()
		h.lastAt, h.lastErr = s.now(), err.Error()
		s.mu.Unlock()
		s.cfg.log.Warn("botsim: webhook delivery failed", "update_id", e.upd.UpdateID, "err", err)
		// The chat stays busy through the pause: its later updates must
		// not overtake the one that failed.
		slept := s.cfg.sleep(ctx, pause)
		s.mu.Lock()
		delete(h.busy, key)
		s.updates.wake()
		s.mu.Unlock()
		if slept != nil {
			return
		}
		pause = min(pause*2, time.Minute)
	}
}

// nextDeliveryLocked picks the first pending update whose chat has no
// delivery in flight, dropping the types the bot did not ask for; the
// caller holds s.mu.
func (s *Server) nextDeliveryLocked(h *webhook) (queued, queueKey, bool) {
	for len(s.updates.pending) > 0 && !s.updates.allows(s.updates.pending[0].upd) {
		s.updates.pending = s.updates.pending[1:]
	}
	for _, e := range s.updates.pending {
		if !s.updates.allows(e.upd) {
			continue
		}
		if key := deliveryQueue(e); !h.busy[key] {
			return e, key, true
		}
	}
	return queued{}, queueKey{}, false
}

// queueKey names the queue an update is delivered in: its chat's, or its
// own for an update without a chat.
type queueKey struct {
	chat   int64
	update int64 // when chat is 0
	forced bool
}

func deliveryQueue(e queued) queueKey {
	u := e.upd
	var chat int64
	switch {
	case u.Message != nil:
		chat = u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		chat = u.CallbackQuery.Message.Chat.ID
	case u.CallbackQuery != nil:
		chat = u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		chat = u.MyChatMember.Chat.ID
	}
	if chat == 0 {
		return queueKey{update: u.UpdateID, forced: e.forced}
	}
	return queueKey{chat: chat}
}

func (s *Server) post(ctx context.Context, h *webhook, u wireUpdate) error {
	body, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("encode update: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if h.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", h.secret)
	}
	resp, err := s.cfg.webhookClient.Do(req)
	if err != nil {
		//lint:ignore ST1005 getWebhookInfo's last_error_message repeats Telegram's wording, capital included
		return fmt.Errorf("Connection failed: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		//lint:ignore ST1005 getWebhookInfo's last_error_message repeats Telegram's wording, capital included
		return fmt.Errorf("Wrong response from the webhook: %s", resp.Status)
	}
	return nil
}

// WebhookURL is the webhook set by the bot, if any.
func (s *Server) WebhookURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook == nil {
		return ""
	}
	return s.hook.url
}
