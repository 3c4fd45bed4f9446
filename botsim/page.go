package botsim

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

//go:embed static/index.html
var pageHTML []byte

// The chat page's JSON API. It speaks for users (sending text, pressing
// buttons, sharing a contact or location) and shows their private chats.

type pageUser struct {
	ID    int64     `json:"id"`
	Name  string    `json:"name"`
	Label string    `json:"label,omitempty"`
	Link  *pageLink `json:"link,omitempty"`
}

type pageLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

func pageUserOf(u User) pageUser {
	p := pageUser{ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName), Label: u.Label}
	if u.Link != nil {
		p.Link = &pageLink{Text: u.Link.Text, URL: u.Link.URL}
	}
	return p
}

type pageButton struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"`
}

type pageKey struct {
	Text            string `json:"text"`
	RequestContact  bool   `json:"request_contact,omitempty"`
	RequestLocation bool   `json:"request_location,omitempty"`
}

type pageMessage struct {
	ID      int            `json:"id"`
	FromBot bool           `json:"from_bot"`
	HTML    string         `json:"html"`
	Time    string         `json:"time"`
	Edited  bool           `json:"edited,omitempty"`
	Buttons [][]pageButton `json:"buttons,omitempty"`
}

type pageToast struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Alert bool   `json:"alert,omitempty"`
}

type pageChat struct {
	User     pageUser      `json:"user"`
	Version  int64         `json:"version"`
	Typing   bool          `json:"typing"`
	Messages []pageMessage `json:"messages"`
	Keyboard [][]pageKey   `json:"keyboard,omitempty"`
	Commands []Command     `json:"commands,omitempty"`
	Toast    *pageToast    `json:"toast,omitempty"`
}

// pageAction is the body of every POST from the page.
type pageAction struct {
	User      int64   `json:"user"`
	Text      string  `json:"text"`
	MessageID int     `json:"message_id"`
	Data      string  `json:"data"`
	Phone     string  `json:"phone"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Caption   string  `json:"caption"`
	Seconds   int     `json:"seconds"`
	Audio     []byte  `json:"audio"` // base64 in the JSON; none: a silent recording
}

func (s *Server) registerPage(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(pageHTML)
	})
	mux.HandleFunc("GET /api/users", s.pageUsers)
	mux.HandleFunc("GET /api/chat", s.pageChat)
	mux.HandleFunc("POST /api/send", s.pageAct(func(a pageAction, u User) error {
		if strings.TrimSpace(a.Text) == "" {
			return errors.New("消息不能为空")
		}
		s.SendText(u, a.Text)
		return nil
	}))
	mux.HandleFunc("POST /api/press", s.pageAct(func(a pageAction, u User) error {
		_, err := s.SendCallback(u, a.MessageID, a.Data)
		return err
	}))
	mux.HandleFunc("POST /api/contact", s.pageAct(func(a pageAction, u User) error {
		if strings.TrimSpace(a.Phone) == "" {
			return errors.New("手机号不能为空")
		}
		s.SendContact(u, strings.TrimSpace(a.Phone))
		return nil
	}))
	mux.HandleFunc("POST /api/location", s.pageAct(func(a pageAction, u User) error {
		if a.Latitude < -90 || a.Latitude > 90 || a.Longitude < -180 || a.Longitude > 180 {
			return errors.New("经纬度超出范围")
		}
		s.SendLocation(u, a.Latitude, a.Longitude)
		return nil
	}))
	mux.HandleFunc("POST /api/photo", s.pageAct(func(a pageAction, u User) error {
		s.SendPhoto(u, a.Caption)
		return nil
	}))
	mux.HandleFunc("POST /api/voice", s.pageAct(func(a pageAction, u User) error {
		if a.Seconds < 1 || a.Seconds > maxPageVoice {
			return fmt.Errorf("语音长度应为 1～%d 秒", maxPageVoice)
		}
		audio := a.Audio
		if len(audio) == 0 {
			audio = SilentVoice(a.Seconds)
		}
		s.SendVoice(u, a.Seconds, audio)
		return nil
	}))
}

// maxPageBody bounds a page action: a recorded voice message is the
// largest, a minute of audio in base64.
const maxPageBody = 4 << 20

// maxPageVoice is the longest voice message the page sends, in seconds.
const maxPageVoice = 120

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func pageError(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
}

func (s *Server) pageUsers(w http.ResponseWriter, _ *http.Request) {
	users := []pageUser{}
	for _, u := range s.Users() {
		users = append(users, pageUserOf(u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

func parseUserID(v string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("用户编号无效：%q", v)
	}
	return id, nil
}

func (s *Server) pageChat(w http.ResponseWriter, r *http.Request) {
	id, err := parseUserID(r.URL.Query().Get("user"))
	if err != nil {
		pageError(w, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := pageChat{User: pageUser{ID: id, Name: fmt.Sprintf("用户%d", id)}, Messages: []pageMessage{}}
	if u := s.users[id]; u != nil {
		out.User = pageUserOf(*u)
	}
	out.Commands = s.commandsLocked(id)
	c := s.chats[id]
	if c == nil {
		writeJSON(w, http.StatusOK, out)
		return
	}
	out.Version = c.version
	out.Typing = s.now().Before(c.typing)
	for _, m := range c.msgs {
		if m.Deleted {
			continue
		}
		pm := pageMessage{ID: m.ID, FromBot: m.FromBot, HTML: m.safe, Time: m.Date.Format("15:04"), Edited: m.Edited}
		for _, row := range m.Buttons {
			var pr []pageButton
			for _, b := range row {
				pr = append(pr, pageButton{Text: b.Text, Data: b.CallbackData, URL: b.URL})
			}
			pm.Buttons = append(pm.Buttons, pr)
		}
		out.Messages = append(out.Messages, pm)
	}
	for _, row := range c.keyboard {
		var pr []pageKey
		for _, k := range row {
			pr = append(pr, pageKey(k))
		}
		out.Keyboard = append(out.Keyboard, pr)
	}
	for i := len(s.answers) - 1; i >= 0; i-- {
		if a := s.answers[i]; a.ChatID == id && a.Text != "" {
			out.Toast = &pageToast{ID: a.QueryID, Text: a.Text, Alert: a.ShowAlert}
			break
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// pageAct decodes a page action and runs it as the user it names.
func (s *Server) pageAct(do func(pageAction, User) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var a pageAction
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxPageBody)).Decode(&a); err != nil {
			pageError(w, errors.New("请求格式错误"))
			return
		}
		if a.User <= 0 {
			pageError(w, errors.New("请先选择身份"))
			return
		}
		s.mu.Lock()
		u := User{ID: a.User}
		if known := s.users[a.User]; known != nil {
			u = *known
		}
		s.mu.Unlock()
		if err := do(a, u); err != nil {
			pageError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	}
}
