package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// formTransport carries the bot's Bot API calls to telegram-test-api.
//
// go-telegram/bot sends every call as multipart/form-data, which the
// emulator does not parse: it would store a sendMessage as {} and still
// answer ok. The transport re-encodes the same fields as
// application/x-www-form-urlencoded. Nested values (reply_markup,
// link_preview_options, allowed_updates) are JSON strings in the form
// already and stay so; the emulator JSON-parses reply_markup itself.
//
// The emulator answers sendMessage by echoing the fields it got, so those
// nested fields come back as JSON strings where Telegram returns objects,
// and go-telegram/bot could not decode the message (link_preview_options
// into a struct). The transport decodes them back into objects. Results of
// "null" (answerCallbackQuery, editMessageText, setWebhook) pass unchanged:
// JSON null decodes to a zero value without error, and the hotline looks
// only at the error of those calls.
//
// The emulator has no setMyCommands (it answers HTTP 500), which the
// hotline calls when a staff member sends /start. The transport answers
// it with Telegram's "result": true itself and keeps what was asked, so
// the test can still check the menu.
type formTransport struct {
	next http.RoundTripper
	obs  *observer
}

// nestedResultFields are the fields of a Message that the emulator echoes
// back as the JSON strings it was sent.
var nestedResultFields = []string{"reply_markup", "link_preview_options", "entities", "reply_parameters"}

func (t *formTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	method := path.Base(req.URL.Path)
	out, form, err := urlencoded(req)
	if err != nil {
		t.obs.called(method, form, err)
		return nil, err
	}
	if method == "setMyCommands" {
		t.obs.called(method, form, nil)
		return localAnswer(out, `{"ok":true,"result":true}`), nil
	}
	resp, err := t.next.RoundTrip(out)
	if err == nil {
		err = unstringResult(resp)
	}
	if err == nil && resp.StatusCode != http.StatusOK {
		// Not an error for the library (it reads the body), but a call
		// the emulator refused is one the test should hear about.
		t.obs.refused(method, resp.StatusCode)
	}
	t.obs.called(method, form, err)
	return resp, err
}

// urlencoded returns req with its multipart body re-encoded, and the form.
// It always closes req.Body, as a RoundTripper must.
func urlencoded(req *http.Request) (*http.Request, url.Values, error) {
	form := url.Values{}
	mediaType, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, form, fmt.Errorf("e2e transport: %s is not multipart/form-data (%q)", req.URL.Path, req.Header.Get("Content-Type"))
	}
	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, form, err
		}
	}
	// A call without parameters (getMe) has an empty body, not an empty form.
	if len(body) > 0 {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, form, fmt.Errorf("e2e transport: read form: %w", err)
			}
			if p.FileName() != "" {
				return nil, form, fmt.Errorf("e2e transport: %s uploads file %q, which urlencoded cannot carry", req.URL.Path, p.FileName())
			}
			v, err := io.ReadAll(p)
			if err != nil {
				return nil, form, fmt.Errorf("e2e transport: read field %s: %w", p.FormName(), err)
			}
			form.Add(p.FormName(), string(v))
		}
	}
	enc := form.Encode()
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(strings.NewReader(enc))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(enc)), nil }
	out.ContentLength = int64(len(enc))
	out.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return out, form, nil
}

// localAnswer is a Bot API answer made by the transport, not the emulator.
func localAnswer(req *http.Request, body string) *http.Response {
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// unstringResult decodes the nested fields of an object result that the
// emulator echoed as JSON strings.
func unstringResult(resp *http.Response) error {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("e2e transport: read answer: %w", err)
	}
	var env map[string]json.RawMessage
	var result map[string]json.RawMessage
	if json.Unmarshal(body, &env) == nil && json.Unmarshal(env["result"], &result) == nil && result != nil {
		changed := false
		for _, k := range nestedResultFields {
			var s string
			if json.Unmarshal(result[k], &s) == nil && json.Valid([]byte(s)) {
				result[k] = json.RawMessage(s)
				changed = true
			}
		}
		if changed {
			if env["result"], err = json.Marshal(result); err != nil {
				return err
			}
			if body, err = json.Marshal(env); err != nil {
				return err
			}
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

// answer is one answerCallbackQuery call: the toast the user saw.
type answer struct{ QueryID, Text string }

// menu is one setMyCommands call; Scope and Commands are the JSON sent.
type menu struct{ Scope, Commands string }

// observer hears every Bot API call the bot completes. The emulator has
// stored a message or an edit by the time it answers, so a completed call
// is the moment to look at the emulator again; waiting on it instead of
// sleeping keeps the test deterministic.
type observer struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every event
	answers []answer      // the emulator keeps no callback answers
	menus   []menu        // the emulator has no setMyCommands
	refusal []string      // calls the emulator answered with an error
	errs    []string      // calls that failed in the transport
}

func newObserver() *observer { return &observer{changed: make(chan struct{})} }

func (o *observer) called(method string, form url.Values, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case err != nil:
		o.errs = append(o.errs, fmt.Sprintf("%s: %v", method, err))
	case method == "answerCallbackQuery":
		o.answers = append(o.answers, answer{QueryID: form.Get("callback_query_id"), Text: form.Get("text")})
	case method == "setMyCommands":
		o.menus = append(o.menus, menu{Scope: form.Get("scope"), Commands: form.Get("commands")})
	}
	o.bumpLocked()
}

func (o *observer) refused(method string, status int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.refusal = append(o.refusal, fmt.Sprintf("%s: HTTP %d", method, status))
}

// bump wakes the waiters, e.g. after the webhook handled an update.
func (o *observer) bump() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.bumpLocked()
}

func (o *observer) bumpLocked() {
	close(o.changed)
	o.changed = make(chan struct{})
}

// next returns a channel closed at the next event. Take it before looking
// at the state, so that an event in between is not missed.
func (o *observer) next() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.changed
}

func (o *observer) answered() []answer {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]answer(nil), o.answers...)
}

func (o *observer) menusSet() []menu {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]menu(nil), o.menus...)
}

// problems lists calls that failed or that the emulator refused.
func (o *observer) problems() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append(append([]string(nil), o.errs...), o.refusal...)
}

// TestFormTransport checks the re-encoding without the emulator: an
// echoing server stands in for its sendMessage, which parses urlencoded
// bodies and answers with the fields it got.
func TestFormTransport(t *testing.T) {
	var got url.Values
	var gotType string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotType = r.Header.Get("Content-Type")
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		got = r.PostForm
		result := map[string]any{"message_id": 7}
		for k := range r.PostForm {
			result[k] = r.PostForm.Get(k)
		}
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}))
	defer srv.Close()
	obs := newObserver()
	rt := &formTransport{next: http.DefaultTransport, obs: obs}

	multipartReq := func(file bool) *http.Request {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("chat_id", "900000001")
		mw.WriteField("text", "您的工单 <b>2026-000001</b> 已办结。")
		mw.WriteField("reply_markup", `{"inline_keyboard":[[{"text":"5","callback_data":"rate:1:5"}]]}`)
		if file {
			fw, _ := mw.CreateFormFile("photo", "lamp.jpg")
			fw.Write([]byte("jpeg"))
		}
		mw.Close()
		req := httptest.NewRequest(http.MethodPost, srv.URL+"/bot1:a/sendMessage", &body)
		req.RequestURI = ""
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return req
	}

	resp, err := rt.RoundTrip(multipartReq(false))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if gotType != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", gotType)
	}
	if got.Get("chat_id") != "900000001" || got.Get("text") != "您的工单 <b>2026-000001</b> 已办结。" {
		t.Errorf("form = %v", got)
	}
	if rm := got.Get("reply_markup"); !json.Valid([]byte(rm)) || !strings.Contains(rm, "rate:1:5") {
		t.Errorf("reply_markup = %q, want the JSON string as sent", rm)
	}
	var answer struct {
		Result struct {
			MessageID   int `json:"message_id"`
			ReplyMarkup struct {
				InlineKeyboard [][]struct {
					CallbackData string `json:"callback_data"`
				} `json:"inline_keyboard"`
			} `json:"reply_markup"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		t.Fatalf("the echoed reply_markup should decode as an object: %v", err)
	}
	if kb := answer.Result.ReplyMarkup.InlineKeyboard; answer.Result.MessageID != 7 || len(kb) != 1 || kb[0][0].CallbackData != "rate:1:5" {
		t.Errorf("answer = %+v", answer.Result)
	}

	if _, err := rt.RoundTrip(multipartReq(true)); err == nil || !strings.Contains(err.Error(), "lamp.jpg") {
		t.Errorf("a file upload should be refused by name, got %v", err)
	}
	if p := obs.problems(); len(p) != 1 {
		t.Errorf("problems = %v, want the refused upload", p)
	}
}
