package botsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func pageGet(t *testing.T, u string, out any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func pagePost(t *testing.T, u, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestPageServesHTML(t *testing.T) {
	_, ts := newTestServer(t)
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "选择身份") {
		t.Fatalf("page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if code := pageGet(t, ts.URL+"/nothing", nil); code != 404 {
		t.Fatalf("unknown path = %d", code)
	}
}

func TestPageAPI(t *testing.T) {
	clk := newFakeClock()
	s, ts := newTestServer(t, WithClock(clk))
	s.AddUser(User{ID: 501, FirstName: "王芳", Label: "网格员 王芳"})
	s.AddUser(alice)

	var users struct {
		Users []pageUser `json:"users"`
	}
	pageGet(t, ts.URL+"/api/users", &users)
	if len(users.Users) != 2 || users.Users[0].Label != "网格员 王芳" || users.Users[1].ID != alice.ID {
		t.Fatalf("users = %+v", users)
	}

	pagePostActions(t, s, ts)
	pageBotAnswers(t, s, ts)
	pageChatView(t, ts, clk)

	var empty pageChat
	if code := pageGet(t, ts.URL+"/api/chat?user=7777", &empty); code != 200 || len(empty.Messages) != 0 || empty.User.Name != "用户7777" {
		t.Fatalf("unknown user chat = %d %+v", code, empty)
	}
	if code := pageGet(t, ts.URL+"/api/chat?user=abc", nil); code != 400 {
		t.Fatalf("bad user id = %d", code)
	}
}

// pagePostActions: what a tester does on the page becomes updates, and bad
// input is refused.
func pagePostActions(t *testing.T, s *Server, ts *httptest.Server) {
	t.Helper()
	actions := []struct {
		name, path, body string
		code             int
	}{
		{"send", "/api/send", `{"user":1001,"text":"路灯坏了"}`, 200},
		{"send as a new user", "/api/send", `{"user":3003,"text":"你好"}`, 200},
		{"empty text", "/api/send", `{"user":1001,"text":"  "}`, 400},
		{"no user", "/api/send", `{"text":"x"}`, 400},
		{"bad json", "/api/send", `{`, 400},
		{"contact", "/api/contact", `{"user":1001,"phone":"13800000000"}`, 200},
		{"empty contact", "/api/contact", `{"user":1001,"phone":""}`, 400},
		{"location", "/api/location", `{"user":1001,"latitude":30.2,"longitude":120.1}`, 200},
		{"location out of range", "/api/location", `{"user":1001,"latitude":91,"longitude":0}`, 400},
		{"photo", "/api/photo", `{"user":1001,"caption":"现场"}`, 200},
		{"press unknown button", "/api/press", `{"user":1001,"message_id":1,"data":"x"}`, 400},
	}
	for _, tt := range actions {
		t.Run(tt.name, func(t *testing.T) {
			if code, body := pagePost(t, ts.URL+tt.path, tt.body); code != tt.code {
				t.Fatalf("got %d %s, want %d", code, body, tt.code)
			}
		})
	}
	if s.PendingUpdates() != 5 {
		t.Fatalf("pending updates = %d, want 5", s.PendingUpdates())
	}
}

// pageBotAnswers: the bot answers with HTML, buttons and a reply keyboard,
// shows "typing…" and answers a press with a toast.
func pageBotAnswers(t *testing.T, s *Server, ts *httptest.Server) {
	t.Helper()
	resultMessage(t, call(t, ts, "sendMessage", url.Values{
		"chat_id": {"1001"}, "parse_mode": {"HTML"}, "reply_markup": {keyboardJSON},
		"text": {`<b>已登记</b> &lt;script&gt; <a href="javascript:alert(1)">链接</a>`},
	}))
	resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"请分享位置"},
		"reply_markup": {`{"keyboard":[[{"text":"分享位置","request_location":true}]]}`}}))
	if r := call(t, ts, "sendChatAction", url.Values{"chat_id": {"1001"}, "action": {"typing"}}); !r.OK {
		t.Fatal(r.Description)
	}
	if code, body := pagePost(t, ts.URL+"/api/press", `{"user":1001,"message_id":5,"data":"acc:1"}`); code != 200 {
		t.Fatalf("press: %d %s", code, body)
	}
	q := s.updates.pending[len(s.updates.pending)-1].upd.CallbackQuery
	if r := call(t, ts, "answerCallbackQuery", url.Values{"callback_query_id": {q.ID}, "text": {"收到"}}); !r.OK {
		t.Fatal(r.Description)
	}
}

// pageChatView: the page's view of the chat shows all of it, with unsafe
// HTML dropped, and "typing…" fades with time.
func pageChatView(t *testing.T, ts *httptest.Server, clk *fakeClock) {
	t.Helper()
	var chat pageChat
	if code := pageGet(t, ts.URL+"/api/chat?user=1001", &chat); code != 200 {
		t.Fatalf("chat = %d", code)
	}
	if len(chat.Messages) != 6 || chat.User.Name != "阿丽" || !chat.Typing || chat.Toast == nil || chat.Toast.Text != "收到" {
		t.Fatalf("chat = %+v", chat)
	}
	bot := chat.Messages[4]
	if !bot.FromBot || bot.ID != 5 || len(bot.Buttons) != 1 || bot.Buttons[0][0].Data != "acc:1" {
		t.Fatalf("bot message = %+v", bot)
	}
	if want := `<b>已登记</b> &lt;script&gt; <a>链接</a>`; bot.HTML != want {
		t.Fatalf("html = %q, want %q", bot.HTML, want)
	}
	if chat.Messages[0].HTML != "路灯坏了" || chat.Messages[0].FromBot {
		t.Fatalf("user message = %+v", chat.Messages[0])
	}
	if len(chat.Keyboard) != 1 || !chat.Keyboard[0][0].RequestLocation {
		t.Fatalf("keyboard = %+v", chat.Keyboard)
	}
	v := chat.Version
	clk.Advance(6 * time.Second) // "typing…" fades without a version change
	pageGet(t, ts.URL+"/api/chat?user=1001", &chat)
	if chat.Typing || chat.Version != v {
		t.Fatalf("typing = %v, version %d -> %d", chat.Typing, v, chat.Version)
	}
}

// The page reads the command menu as {"command","description"}.
func TestPageCommandsJSON(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	if r := call(t, ts, "setMyCommands", url.Values{"commands": {`[{"command":"my","description":"我的工单"}]`}}); !r.OK {
		t.Fatal(r.Description)
	}
	resp, err := http.Get(ts.URL + "/api/chat?user=" + strconv.FormatInt(alice.ID, 10))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `"commands":[{"command":"my","description":"我的工单"}]`) {
		t.Fatalf("chat JSON = %s", body)
	}
}
