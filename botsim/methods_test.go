package botsim

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var alice = User{ID: 1001, FirstName: "阿丽", Label: "村民"}

func TestRequestEncodings(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)

	multipartBody := func(fields map[string]string) (*bytes.Buffer, string) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k, v := range fields {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
		fw, err := w.CreateFormFile("document", "a.txt") // uploads are ignored
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(fw, "file body")
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return &buf, w.FormDataContentType()
	}
	mp, mpType := multipartBody(map[string]string{"chat_id": "1001", "text": "多部分", "reply_markup": keyboardJSON})

	tests := []struct {
		name        string
		contentType string
		body        string
		query       string
		wantText    string
		wantButtons int
	}{
		{"multipart", mpType, mp.String(), "", "多部分", 2},
		{"urlencoded", "application/x-www-form-urlencoded",
			url.Values{"chat_id": {"1001"}, "text": {"表单"}, "reply_markup": {keyboardJSON}}.Encode(), "", "表单", 2},
		{"json with nested markup", "application/json",
			`{"chat_id":1001,"text":"对象","reply_markup":` + keyboardJSON + `}`, "", "对象", 2},
		{"json with string markup and string id", "application/json",
			`{"chat_id":"1001","text":"字符串","reply_markup":` + fmt.Sprintf("%q", keyboardJSON) + `}`, "", "字符串", 2},
		{"query string", "", "", "?chat_id=1001&text=%E6%9F%A5%E8%AF%A2", "查询", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/botX/sendMessage"+tt.query, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			m := resultMessage(t, decodeReply(t, resp))
			if m.Text != tt.wantText || m.Chat.ID != 1001 || m.Date == 0 || m.From == nil || !m.From.IsBot {
				t.Fatalf("result = %+v", m)
			}
			n := 0
			if m.ReplyMarkup != nil {
				n = len(m.ReplyMarkup.InlineKeyboard[0])
			}
			if n != tt.wantButtons {
				t.Fatalf("buttons = %d, want %d", n, tt.wantButtons)
			}
		})
	}

	bad := []struct {
		name, contentType, body string
	}{
		{"broken json", "application/json", `{"chat_id":`},
		{"multipart without boundary", "multipart/form-data", "--x\r\n"},
		{"unknown content type", "text/plain", "chat_id=1"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(ts.URL+"/botX/sendMessage", tt.contentType, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if r := decodeReply(t, resp); r.ErrorCode != 400 || !strings.HasPrefix(r.Description, "Bad Request: ") {
				t.Fatalf("got %d %q", r.ErrorCode, r.Description)
			}
		})
	}
}

func TestRouting(t *testing.T) {
	_, ts := newTestServer(t, WithToken("123:abc"))
	tests := []struct {
		name, path string
		code       int
		desc       string
	}{
		{"good token", "/bot123:abc/getMe", 200, ""},
		{"method names are case-insensitive", "/bot123:abc/GETME", 200, ""},
		{"wrong token", "/bot999:zzz/getMe", 401, "Unauthorized"},
		{"unknown method", "/bot123:abc/sendSticker", 404, "Not Found"},
		{"no method", "/bot123:abc/", 404, "Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(ts.URL+tt.path, "application/x-www-form-urlencoded", nil)
			if err != nil {
				t.Fatal(err)
			}
			r := decodeReply(t, resp)
			if r.status != tt.code || r.Description != tt.desc {
				t.Fatalf("got %d %q, want %d %q", r.status, r.Description, tt.code, tt.desc)
			}
		})
	}
}

func TestSendValidation(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	long := strings.Repeat("长", 4097)
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"missing chat", url.Values{"text": {"x"}}, "Bad Request: chat_id is empty"},
		{"unknown chat", url.Values{"chat_id": {"42"}, "text": {"x"}}, "Bad Request: chat not found"},
		{"username chat", url.Values{"chat_id": {"@someone"}, "text": {"x"}}, "Bad Request: chat not found"},
		{"missing text", url.Values{"chat_id": {"1001"}}, "Bad Request: message text is empty"},
		{"too long", url.Values{"chat_id": {"1001"}, "text": {long}}, "Bad Request: message is too long"},
		{"bad html", url.Values{"chat_id": {"1001"}, "text": {"水管 <坏了>"}, "parse_mode": {"HTML"}},
			"Bad Request: can't parse entities: Unexpected end of name token at byte offset 7"},
		{"unescaped amp", url.Values{"chat_id": {"1001"}, "text": {"A&B"}, "parse_mode": {"HTML"}},
			"Bad Request: can't parse entities: character '&' must be escaped"},
		{"callback data over 64 bytes", url.Values{"chat_id": {"1001"}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"a","callback_data":"` + strings.Repeat("汉", 22) + `"}]]}`}},
			"Bad Request: BUTTON_DATA_INVALID"},
		{"text-only inline button", url.Values{"chat_id": {"1001"}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"a","copy_text":{"text":""}}]]}`}},
			"Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"two actions", url.Values{"chat_id": {"1001"}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"a","callback_data":"a","url":"https://x.org"}]]}`}},
			"Bad Request: can't parse inline keyboard button: exactly one of the optional fields must be used"},
		{"empty button text", url.Values{"chat_id": {"1001"}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"","callback_data":"a"}]]}`}}, "Bad Request: BUTTON_TEXT_INVALID"},
		{"bad url", url.Values{"chat_id": {"1001"}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"a","url":"javascript:x"}]]}`}}, "Bad Request: BUTTON_URL_INVALID"},
		{"markup not json", url.Values{"chat_id": {"1001"}, "text": {"x"}, "reply_markup": {"[[x"}},
			"Bad Request: can't parse reply keyboard markup JSON object"},
		{"markup of unknown kind", url.Values{"chat_id": {"1001"}, "text": {"x"}, "reply_markup": {`{"foo":1}`}},
			"Bad Request: can't parse reply keyboard markup JSON object"},
		{"inline keyboard not arrays", url.Values{"chat_id": {"1001"}, "text": {"x"}, "reply_markup": {`{"inline_keyboard":[{"text":"a"}]}`}},
			"Bad Request: can't parse inline keyboard button"},
		{"too many buttons", url.Values{"chat_id": {"1001"}, "text": {"x"}, "reply_markup": {manyButtons(101)}},
			"Bad Request: reply markup is too long"},
		{"empty reply keyboard button", url.Values{"chat_id": {"1001"}, "text": {"x"}, "reply_markup": {`{"keyboard":[[{"text":""}]]}`}},
			"Bad Request: can't parse keyboard button"},
		{"bad link preview options", url.Values{"chat_id": {"1001"}, "text": {"x"}, "link_preview_options": {"yes"}},
			"Bad Request: can't parse link preview options JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, ts, "sendMessage", tt.form)
			if r.ErrorCode != 400 || !strings.HasPrefix(r.Description, tt.want) {
				t.Fatalf("got %d %q, want 400 %q", r.ErrorCode, r.Description, tt.want)
			}
		})
	}
	if s.Sent() != 0 || len(s.Messages(1001)) != 0 {
		t.Fatalf("rejected sends were stored: sent=%d", s.Sent())
	}
	if got := s.CallCount("sendMessage"); got != len(tests) {
		t.Fatalf("CallCount = %d, want %d", got, len(tests))
	}
}

func manyButtons(n int) string {
	var b strings.Builder
	b.WriteString(`{"inline_keyboard":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `[{"text":"b%d","callback_data":"d%d"}]`, i, i)
	}
	b.WriteString("]}")
	return b.String()
}

func TestSendStoresMessage(t *testing.T) {
	clk := newFakeClock()
	s, ts := newTestServer(t, WithClock(clk))
	s.AddUser(alice)
	m := resultMessage(t, call(t, ts, "sendMessage", url.Values{
		"chat_id": {"1001"}, "text": {"<b>工单 #12</b> 已受理 &amp; 派单"}, "parse_mode": {"HTML"},
		"reply_markup": {keyboardJSON},
	}))
	if m.MessageID != 1 || m.Text != "工单 #12 已受理 & 派单" || len(m.Entities) != 1 || m.Entities[0].Length != 6 {
		t.Fatalf("result = %+v", m)
	}
	got := s.Messages(1001)
	if len(got) != 1 {
		t.Fatalf("messages = %+v", got)
	}
	want := [][]Button{{{Text: "受理", CallbackData: "acc:1"}, {Text: "转派", CallbackData: "fwd:1"}}}
	if g := got[0]; g.Text != "<b>工单 #12</b> 已受理 &amp; 派单" || g.Plain != "工单 #12 已受理 & 派单" ||
		g.ParseMode != "HTML" || !sameButtons(g.Buttons, want) || !g.FromBot || !g.Date.Equal(clk.Now()) {
		t.Fatalf("stored = %+v", g)
	}
	if d := s.Deliveries(); len(d) != 1 || d[0].ChatID != 1001 || d[0].Method != "sendMessage" || !d[0].At.Equal(clk.Now()) {
		t.Fatalf("deliveries = %+v", d)
	}

	// A reply keyboard is kept per chat and removed by remove_keyboard.
	resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"请分享位置"},
		"reply_markup": {`{"keyboard":[[{"text":"📍 分享位置","request_location":true}],["取消"]],"resize_keyboard":true}`}}))
	kb := s.Keyboard(1001)
	if len(kb) != 2 || !kb[0][0].RequestLocation || kb[1][0].Text != "取消" {
		t.Fatalf("keyboard = %+v", kb)
	}
	resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"好的"},
		"reply_markup": {`{"remove_keyboard":true}`}}))
	if kb := s.Keyboard(1001); len(kb) != 0 {
		t.Fatalf("keyboard not removed: %+v", kb)
	}
	if s.Sent() != 3 {
		t.Fatalf("Sent = %d", s.Sent())
	}
}

func TestEdits(t *testing.T) {
	clk := newFakeClock()
	s, ts := newTestServer(t, WithClock(clk))
	s.AddUser(alice)
	resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"<b>待受理</b>"}, "parse_mode": {"HTML"}, "reply_markup": {keyboardJSON}}))
	s.SendText(alice, "用户的话")

	tests := []struct {
		name   string
		method string
		form   url.Values
		want   string // error description prefix; "" = success
	}{
		{"missing message id", "editMessageText", url.Values{"chat_id": {"1001"}, "text": {"x"}}, "Bad Request: message identifier is not specified"},
		{"unknown message", "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"99"}, "text": {"x"}}, "Bad Request: message to edit not found"},
		{"unknown chat", "editMessageText", url.Values{"chat_id": {"5"}, "message_id": {"1"}, "text": {"x"}}, "Bad Request: chat not found"},
		{"user's message", "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"2"}, "text": {"x"}}, "Bad Request: message can't be edited"},
		{"inline message", "editMessageText", url.Values{"inline_message_id": {"abc"}, "text": {"x"}}, "Bad Request: MESSAGE_ID_INVALID"},
		{"same text and markup", "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "text": {"<b>待受理</b>"}, "parse_mode": {"HTML"}, "reply_markup": {keyboardJSON}},
			"Bad Request: message is not modified"},
		{"reply keyboard in edit", "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "text": {"y"}, "reply_markup": {`{"keyboard":[["a"]]}`}},
			"Bad Request: inline keyboard expected"},
		{"empty text", "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "text": {""}}, "Bad Request: message text is empty"},
		{"text change keeps keyboard when sent", "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "text": {"<b>已受理</b>"}, "parse_mode": {"HTML"}, "reply_markup": {keyboardJSON}}, ""},
		{"same markup", "editMessageReplyMarkup", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "reply_markup": {keyboardJSON}}, "Bad Request: message is not modified"},
		{"markup removed", "editMessageReplyMarkup", url.Values{"chat_id": {"1001"}, "message_id": {"1"}}, ""},
		{"markup already removed", "editMessageReplyMarkup", url.Values{"chat_id": {"1001"}, "message_id": {"1"}}, "Bad Request: message is not modified"},
		{"markup back", "editMessageReplyMarkup", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "reply_markup": {keyboardJSON}}, ""},
		{"text edit without markup drops keyboard", "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "text": {"<b>已受理</b>"}, "parse_mode": {"HTML"}}, ""},
		{"plain vs bold is a change", "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "text": {"已受理"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Advance(time.Second)
			r := call(t, ts, tt.method, tt.form)
			if tt.want == "" {
				resultMessage(t, r)
				return
			}
			if r.OK || !strings.HasPrefix(r.Description, tt.want) {
				t.Fatalf("got ok=%v %q, want %q", r.OK, r.Description, tt.want)
			}
		})
	}
	m := s.Messages(1001)[0]
	if !m.Edited || m.Plain != "已受理" || m.Buttons != nil || len(m.History) != 5 || m.History[0].Text != "<b>待受理</b>" {
		t.Fatalf("edited message = %+v", m)
	}
	r := resultMessage(t, call(t, ts, "editMessageText", url.Values{"chat_id": {"1001"}, "message_id": {"1"}, "text": {"最后"}}))
	if r.EditDate == 0 {
		t.Fatal("edit_date missing")
	}
}

func TestDeleteMessage(t *testing.T) {
	clk := newFakeClock()
	s, ts := newTestServer(t, WithClock(clk))
	s.AddUser(alice)
	for range 2 {
		resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"x"}}))
	}
	tests := []struct {
		name, id string
		advance  time.Duration
		want     string
	}{
		{"delete", "1", 0, ""},
		{"again", "1", 0, "Bad Request: message to delete not found"},
		{"missing", "77", 0, "Bad Request: message to delete not found"},
		{"no id", "", 0, "Bad Request: message identifier is not specified"},
		{"too old", "2", 49 * time.Hour, "Bad Request: message can't be deleted for everyone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Advance(tt.advance)
			r := call(t, ts, "deleteMessage", url.Values{"chat_id": {"1001"}, "message_id": {tt.id}})
			if (tt.want == "") != r.OK || !strings.HasPrefix(r.Description, tt.want) {
				t.Fatalf("got ok=%v %q, want %q", r.OK, r.Description, tt.want)
			}
		})
	}
	if msgs := s.Messages(1001); !msgs[0].Deleted || msgs[1].Deleted {
		t.Fatalf("messages = %+v", msgs)
	}
	// The count keeps deleted messages and leaves the user's out; the last
	// message is the newest one not deleted.
	s.SendText(alice, "用户的话")
	if n := s.BotMessageCount(1001); n != 2 {
		t.Errorf("BotMessageCount = %d, want 2", n)
	}
	if m, ok := s.LastMessage(1001); !ok || m.ID != 2 {
		t.Errorf("LastMessage = %+v, %v; want message 2", m, ok)
	}
	if _, ok := s.LastMessage(4242); ok || s.BotMessageCount(4242) != 0 {
		t.Error("a chat never seen has a message")
	}
	if _, err := s.SendCallback(alice, 1, "x"); err == nil {
		t.Fatal("a deleted message's buttons were pressable")
	}
}

func TestAnswerCallbackQuery(t *testing.T) {
	clk := newFakeClock()
	s, ts := newTestServer(t, WithClock(clk))
	s.AddUser(alice)
	resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"选择"}, "reply_markup": {keyboardJSON}}))

	press := func() string {
		t.Helper()
		if _, err := s.SendCallback(alice, 1, "acc:1"); err != nil {
			t.Fatal(err)
		}
		q := s.updates.pending[len(s.updates.pending)-1].upd.CallbackQuery
		return q.ID
	}
	answered, stale := press(), press()
	if r := call(t, ts, "answerCallbackQuery", url.Values{"callback_query_id": {answered}}); !r.OK {
		t.Fatal(r.Description)
	}
	clk.Advance(16 * time.Second)

	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"unknown id", url.Values{"callback_query_id": {"123"}}, "Bad Request: query is too old and response timeout expired or query ID is invalid"},
		{"missing id", url.Values{}, "Bad Request: query is too old"},
		{"answered twice", url.Values{"callback_query_id": {answered}}, "Bad Request: query is too old"},
		{"expired", url.Values{"callback_query_id": {stale}}, "Bad Request: query is too old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, ts, "answerCallbackQuery", tt.form)
			if r.OK || !strings.HasPrefix(r.Description, tt.want) {
				t.Fatalf("got ok=%v %q", r.OK, r.Description)
			}
		})
	}

	// Within the window: a fresh press answered with a toast.
	fresh := press()
	if r := call(t, ts, "answerCallbackQuery", url.Values{"callback_query_id": {fresh}, "text": {strings.Repeat("长", 201)}}); r.Description != "Bad Request: MESSAGE_TOO_LONG" {
		t.Fatalf("long answer: %q", r.Description)
	}
	if r := call(t, ts, "answerCallbackQuery", url.Values{"callback_query_id": {fresh}, "text": {"已受理"}, "show_alert": {"true"}}); !r.OK {
		t.Fatal(r.Description)
	}
	got := s.AnsweredCallbacks()
	if len(got) != 2 || got[1].Text != "已受理" || !got[1].ShowAlert || got[1].Data != "acc:1" || got[1].ChatID != 1001 || got[1].MessageID != 1 {
		t.Fatalf("answers = %+v", got)
	}
}

func TestSendCallbackRefusesUnknownData(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"选择"}, "reply_markup": {keyboardJSON}}))
	s.SendText(alice, "hi")
	tests := []struct {
		name string
		id   int
		data string
	}{
		{"data not on keyboard", 1, "nope"},
		{"no such message", 9, "acc:1"},
		{"user's own message", 2, "acc:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.SendCallback(alice, tt.id, tt.data); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := s.SendCallbackIn(-5, alice, 1, "acc:1"); err == nil {
		t.Fatal("unknown chat accepted")
	}
}

func TestChatActionAndCommands(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	tests := []struct {
		name, method string
		form         url.Values
		want         string
	}{
		{"typing", "sendChatAction", url.Values{"chat_id": {"1001"}, "action": {"typing"}}, ""},
		{"bad action", "sendChatAction", url.Values{"chat_id": {"1001"}, "action": {"dancing"}}, "Bad Request: wrong parameter action in request"},
		{"action unknown chat", "sendChatAction", url.Values{"chat_id": {"9"}, "action": {"typing"}}, "Bad Request: chat not found"},
		{"commands", "setMyCommands", url.Values{"commands": {`[{"command":"start","description":"开始"},{"command":"report","description":"报事"}]`}}, ""},
		{"private commands", "setMyCommands", url.Values{"commands": {`[{"command":"help","description":"帮助"}]`}, "scope": {`{"type":"all_private_chats"}`}}, ""},
		{"chat commands", "setMyCommands", url.Values{"commands": {`[{"command":"queue","description":"待办"}]`}, "scope": {`{"type":"chat","chat_id":1001}`}}, ""},
		{"bad command", "setMyCommands", url.Values{"commands": {`[{"command":"Start!","description":"x"}]`}}, "Bad Request: BOT_COMMAND_INVALID"},
		{"empty description", "setMyCommands", url.Values{"commands": {`[{"command":"a","description":" "}]`}}, "Bad Request: command description"},
		{"commands not json", "setMyCommands", url.Values{"commands": {`x`}}, "Bad Request: can't parse commands JSON object"},
		{"commands missing", "setMyCommands", url.Values{}, `Bad Request: parameter "commands" is required`},
		{"bad scope", "setMyCommands", url.Values{"commands": {`[]`}, "scope": {`{}`}}, "Bad Request: can't parse BotCommandScope JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, ts, tt.method, tt.form)
			if (tt.want == "") != r.OK || !strings.HasPrefix(r.Description, tt.want) {
				t.Fatalf("got ok=%v %q, want %q", r.OK, r.Description, tt.want)
			}
		})
	}
	if c := s.Commands(1001); len(c) != 1 || c[0].Command != "queue" {
		t.Fatalf("chat commands = %+v", c)
	}
	if c := s.Commands(2002); len(c) != 1 || c[0].Command != "help" {
		t.Fatalf("private commands = %+v", c)
	}
	if c := s.Commands(-1); len(c) != 2 {
		t.Fatalf("default commands = %+v", c)
	}
	r := call(t, ts, "getMyCommands", url.Values{})
	if !r.OK || !strings.Contains(string(r.Result), `"report"`) {
		t.Fatalf("getMyCommands = %s", r.Result)
	}
	if r := call(t, ts, "deleteMyCommands", url.Values{"scope": {`{"type":"chat","chat_id":1001}`}}); !r.OK {
		t.Fatal(r.Description)
	}
	if c := s.Commands(1001); len(c) != 1 || c[0].Command != "help" {
		t.Fatalf("after delete = %+v", c)
	}
}

func TestGroups(t *testing.T) {
	s, ts := newTestServer(t)
	if err := s.AddGroup(5, "bad"); err == nil {
		t.Fatal("positive group id accepted")
	}
	if err := s.AddGroup(-100200, "网格员群"); err != nil {
		t.Fatal(err)
	}
	m := resultMessage(t, call(t, ts, "sendMessage", url.Values{"chat_id": {"-100200"}, "text": {"新工单"}, "reply_markup": {keyboardJSON}}))
	if m.Chat.Type != "group" || m.Chat.Title != "网格员群" {
		t.Fatalf("chat = %+v", m.Chat)
	}
	if _, err := s.SendTextIn(-100200, alice, "/take@hotline_sim_bot 12"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendTextIn(1001, alice, "x"); err == nil {
		t.Fatal("SendTextIn to a private chat accepted")
	}
	if _, err := s.SendCallbackIn(-100200, alice, 1, "acc:1"); err != nil {
		t.Fatal(err)
	}
	s.Block(-100200)
	if r := call(t, ts, "sendMessage", url.Values{"chat_id": {"-100200"}, "text": {"x"}}); r.ErrorCode != 403 || r.Description != "Forbidden: bot was kicked from the group chat" {
		t.Fatalf("got %d %q", r.ErrorCode, r.Description)
	}
}

func TestCommandEntities(t *testing.T) {
	tests := []struct {
		in   string
		want []wireEntity
	}{
		{"/start", []wireEntity{{Type: "bot_command", Offset: 0, Length: 6}}},
		{"/start@hotline_bot abc", []wireEntity{{Type: "bot_command", Offset: 0, Length: 18}}},
		{"你好 /help", []wireEntity{{Type: "bot_command", Offset: 3, Length: 5}}},
		{"😀 /a /b", []wireEntity{{Type: "bot_command", Offset: 3, Length: 2}, {Type: "bot_command", Offset: 6, Length: 2}}},
		{"a/b", nil},
		{"/", nil},
		{"/中文", nil},
	}
	for _, tt := range tests {
		got := commandEntities(tt.in)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("commandEntities(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
