// Package botsim is an in-process stand-in for the Telegram Bot API.
//
// It serves /bot{token}/{method} for the methods the hotline uses, validates
// requests as strictly as Telegram does (HTML parse mode, message length,
// callback data size, "message is not modified", expired callback queries),
// keeps the chats in memory for inspection, and can inject failures: blocked
// chats, scripted 429/5xx/slow responses and an optional flood limiter.
// Updates are delivered by long polling (getUpdates) or to a webhook.
//
// The same server backs the service's local mode: "/" serves a chat page on
// which a person can act as any user.
package botsim

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Server is the simulated Bot API. All methods are safe for concurrent use.
type Server struct {
	cfg     config
	methods map[string]method
	mux     *http.ServeMux

	mu         sync.Mutex
	users      map[int64]*User
	roster     []int64 // AddUser order, for the chat page's dropdown
	chats      map[int64]*chatState
	updates    updateQueue
	hook       *webhook
	queries    map[string]*query
	answers    []CallbackAnswer
	faults     map[string][]fault
	chatFaults map[int64][]fault
	limiter    *limiter
	calls      map[string]int
	sent       int
	log        []Delivery
	commands   map[string][]Command
	nextQ      int64
	files      map[string]*fileRec // file id → what users sent
	nextFile   int
	closed     bool
}

type method struct {
	name string // canonical spelling, for call counts
	fn   func(s *Server, ctx context.Context, p params) (any, *apiError)
}

// New returns a server with an empty world: chats appear when users are added
// or write to the bot.
func New(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:        cfg,
		users:      map[int64]*User{},
		chats:      map[int64]*chatState{},
		queries:    map[string]*query{},
		faults:     map[string][]fault{},
		chatFaults: map[int64][]fault{},
		calls:      map[string]int{},
		commands:   map[string][]Command{},
		limiter:    newLimiter(cfg.limits),
	}
	s.updates.init(cfg.firstUpdateID)
	s.methods = map[string]method{}
	for name, fn := range map[string]func(*Server, context.Context, params) (any, *apiError){
		"getMe":                  (*Server).getMe,
		"getUpdates":             (*Server).getUpdates,
		"setWebhook":             (*Server).setWebhook,
		"deleteWebhook":          (*Server).deleteWebhook,
		"getWebhookInfo":         (*Server).getWebhookInfo,
		"sendMessage":            (*Server).sendMessage,
		"editMessageText":        (*Server).editMessageText,
		"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
		"deleteMessage":          (*Server).deleteMessage,
		"answerCallbackQuery":    (*Server).answerCallbackQuery,
		"sendChatAction":         (*Server).sendChatAction,
		"copyMessage":            (*Server).copyMsg,
		"getFile":                (*Server).getFile,
		"setMyCommands":          (*Server).setMyCommands,
		"getMyCommands":          (*Server).getMyCommands,
		"deleteMyCommands":       (*Server).deleteMyCommands,
	} {
		// Telegram matches method names case-insensitively.
		s.methods[strings.ToLower(name)] = method{name: name, fn: fn}
	}
	s.mux = http.NewServeMux()
	s.registerPage(s.mux)
	return s
}

// Handler serves the Bot API under /bot{token}/{method} and the chat page
// under /.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/bot") {
			s.serveAPI(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/file/bot") {
			s.serveFile(w, r)
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

// Close stops webhook delivery and ends pending long polls. The handler keeps
// answering method calls.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	h := s.hook
	s.hook = nil
	s.updates.abortPoll()
	s.mu.Unlock()
	if h != nil {
		h.stop()
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/bot")
	token, name, _ := strings.Cut(rest, "/")
	name = strings.TrimPrefix(name, "test/") // go-telegram/bot's test environment
	if s.cfg.token != "" && token != s.cfg.token {
		writeResult(w, nil, errUnauthorized)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		writeResult(w, nil, errNotFound)
		return
	}
	m, ok := s.methods[strings.ToLower(name)]
	if !ok {
		writeResult(w, nil, errNotFound)
		return
	}
	f := s.countCall(m.name)
	// The body is read before any scripted delay: net/http notices a client
	// that hangs up (and cancels r.Context) only once the body is consumed.
	p, err := readParams(r)
	if f == (fault{}) && err == nil {
		f = s.takeChatFault(m.name, p)
	}
	if f.delay > 0 {
		if err := s.cfg.sleep(r.Context(), f.delay); err != nil {
			return // the client gave up; like Telegram, nothing happened
		}
	}
	if f.code != 0 {
		writeResult(w, nil, faultError(f.code, f.retryAfter))
		return
	}
	if err != nil {
		writeResult(w, nil, badRequest(err.Error()))
		return
	}
	res, aerr := m.fn(s, r.Context(), p)
	writeResult(w, res, aerr)
}

// countCall counts a call and takes the next scripted fault for the method.
func (s *Server) countCall(name string) fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[name]++
	return s.takeFault(name)
}

func writeResult(w http.ResponseWriter, res any, aerr *apiError) {
	w.Header().Set("Content-Type", "application/json")
	resp := apiResponse{OK: true, Result: res}
	code := http.StatusOK
	if aerr != nil {
		resp = apiResponse{ErrorCode: aerr.Code, Description: aerr.Description}
		if aerr.RetryAfter > 0 {
			resp.Parameters = &responseParams{RetryAfter: aerr.RetryAfter}
		}
		code = aerr.Code
	}
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(resp) // a failed write means the client left
}

func (s *Server) now() time.Time { return s.cfg.clock.Now() }

func (s *Server) botWire() *wireUser {
	b := s.cfg.bot
	return &wireUser{ID: b.ID, IsBot: true, FirstName: b.FirstName, LastName: b.LastName, Username: b.Username}
}

func (s *Server) getMe(_ context.Context, _ params) (any, *apiError) {
	u := s.botWire()
	u.CanJoinGroups = true
	return u, nil
}
