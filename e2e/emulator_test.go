package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// emulatorDir holds launch.js and, after `npm ci`, the pinned emulator.
const emulatorDir = "emulator"

// emulator is a running telegram-test-api, driven through its "client"
// HTTP API: /sendMessage, /sendCommand and /sendCallback deliver a user's
// message or button press to the bot (to its webhook, once one is set),
// and /getUpdatesHistory lists what the bot sent, edits merged in.
type emulator struct {
	url    string // the Bot API root, as the bot's APIURL
	token  string
	hc     *http.Client
	output *lockedBuffer // the node process's stderr, shown when a test fails
}

// requireEmulator skips the test when node or the installed emulator is
// missing, saying exactly what to install.
func requireEmulator(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not on PATH: this test runs the telegram-test-api Bot API emulator under Node.js; " +
			"install Node.js (tested with 20) and run `cd e2e/emulator && npm ci`")
	}
	pkg := filepath.Join(emulatorDir, "node_modules", "telegram-test-api", "package.json")
	if _, err := os.Stat(pkg); err != nil {
		t.Skip("the telegram-test-api emulator is not installed (no e2e/" + filepath.ToSlash(pkg) + "): " +
			"run `cd e2e/emulator && npm ci`")
	}
}

// startEmulator runs launch.js and stops it when the test ends.
func startEmulator(t *testing.T, token string) *emulator {
	t.Helper()
	requireEmulator(t)
	e := &emulator{token: token, hc: &http.Client{Timeout: 10 * time.Second}, output: &lockedBuffer{}}

	cmd := exec.Command("node", "launch.js")
	cmd.Dir = emulatorDir
	// The emulator posts to the webhook with axios, which would route even
	// a loopback URL through an HTTP proxy named in the environment.
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.EqualFold(name, "http_proxy") && !strings.EqualFold(name, "https_proxy") && !strings.EqualFold(name, "all_proxy") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Stderr = e.output
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the emulator: %v", err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		// Anything else it prints goes with stderr, and the pipe never fills.
		io.Copy(e.output, r)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		// Closing stdin asks launch.js to stop; kill it if it does not.
		stdin.Close()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("emulator output:\n%s", e.output.String())
		}
	})

	// launch.js prints the address once it listens. The emulator is a
	// separate process, so this is the one wait with a deadline on a clock.
	select {
	case line := <-lines:
		var hello struct{ URL string }
		if err := json.Unmarshal([]byte(line), &hello); err != nil || hello.URL == "" {
			t.Fatalf("the emulator did not start: %q\n%s", line, e.output.String())
		}
		e.url = hello.URL
	case <-time.After(30 * time.Second):
		t.Fatalf("the emulator printed no address within 30 s\n%s", e.output.String())
	}
	return e
}

// user is a Telegram user as the emulator's client sends it.
type user struct {
	ID        int64
	FirstName string
}

func (u user) from() map[string]any {
	return map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName}
}

func (u user) chat() map[string]any {
	return map[string]any{"id": u.ID, "type": "private", "first_name": u.FirstName}
}

// post calls one of the emulator's client routes.
func (e *emulator) post(route string, body any, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	resp, err := e.hc.Post(e.url+route, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d: %s", route, resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// send delivers a text from u. A leading "/" makes it a command, with the
// bot_command entity Telegram would attach.
func (e *emulator) send(u user, text string) error {
	msg := map[string]any{
		"botToken": e.token, "date": time.Now().Unix(),
		"from": u.from(), "chat": u.chat(), "text": text,
	}
	route := "/sendMessage"
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		msg["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": len([]rune(cmd))}}
		route = "/sendCommand"
	}
	return e.post(route, msg, nil)
}

// press delivers u's press of a button carrying data on the bot's message m.
func (e *emulator) press(u user, m botMessage, data string) error {
	return e.post("/sendCallback", map[string]any{
		"botToken": e.token, "date": time.Now().Unix(), "from": u.from(), "data": data,
		"message": map[string]any{
			"message_id": m.ID, "date": time.Now().Unix(), "chat": u.chat(), "text": m.Plain,
		},
	}, nil)
}

// button is one inline button as the emulator stored it.
type button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// botMessage is one message the bot sent, as the emulator recorded it.
type botMessage struct {
	ID      int
	Chat    int64
	Text    string // as sent, HTML
	Plain   string // as the user reads it
	Buttons [][]button
}

// looseID reads a chat_id the emulator kept as a number (JSON) or a
// string (urlencoded).
type looseID int64

func (id *looseID) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil {
		s = string(b)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	*id = looseID(n)
	return err
}

// messages returns the bot's messages to chat, oldest first, with their
// latest edits.
func (e *emulator) messages(chat int64) ([]botMessage, error) {
	var hist struct {
		OK     bool `json:"ok"`
		Result []struct {
			MessageID int `json:"messageId"`
			Message   struct {
				ChatID      *looseID `json:"chat_id"`
				Text        string   `json:"text"`
				ReplyMarkup struct {
					InlineKeyboard [][]button `json:"inline_keyboard"`
				} `json:"reply_markup"`
			} `json:"message"`
		} `json:"result"`
	}
	if err := e.post("/getUpdatesHistory", map[string]any{"token": e.token}, &hist); err != nil {
		return nil, err
	}
	if !hist.OK {
		return nil, errors.New("getUpdatesHistory: not ok")
	}
	var ms []botMessage
	for _, r := range hist.Result {
		// Users' messages carry a chat object, not chat_id; in webhook
		// mode the emulator does not keep them anyway.
		if r.Message.ChatID == nil || int64(*r.Message.ChatID) != chat {
			continue
		}
		ms = append(ms, botMessage{
			ID: r.MessageID, Chat: chat, Text: r.Message.Text,
			Plain: plain(r.Message.Text), Buttons: r.Message.ReplyMarkup.InlineKeyboard,
		})
	}
	return ms, nil
}

var tag = regexp.MustCompile(`<[^>]*>`)

// plain renders the bot's HTML as the user reads it.
func plain(s string) string { return html.UnescapeString(tag.ReplaceAllString(s, "")) }

// lockedBuffer collects a child process's output from its copying goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
