package botsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

var handlerUser = User{ID: 1002, FirstName: "曾令发"}

func TestCopyMessage(t *testing.T) {
	s, ts := newTestServer(t, WithToken("123:abc"))
	s.AddUser(alice)
	s.AddUser(handlerUser)
	s.SendPhoto(alice, "村口 <路灯> 坏了")
	photo := s.Conversation(alice.ID)[0]
	s.SendVoice(alice, 7, []byte("OggS voice"))
	voice := s.Conversation(alice.ID)[1]
	s.SendLocation(alice, 39.9, 116.4)
	place := s.Conversation(alice.ID)[2]
	s.SendText(alice, "文字")
	text := s.Conversation(alice.ID)[3]
	s.AddUser(User{ID: 1003})
	s.Block(1003)

	copyForm := func(to int64, msg Message, extra ...string) url.Values {
		f := url.Values{"chat_id": {strconv.FormatInt(to, 10)}, "from_chat_id": {strconv.FormatInt(alice.ID, 10)}, "message_id": {strconv.Itoa(msg.ID)}}
		for i := 0; i+1 < len(extra); i += 2 {
			f.Set(extra[i], extra[i+1])
		}
		return f
	}
	long := strings.Repeat("长", maxCaption+1)
	pid, vid := photo.PhotoFileID, voice.Voice.FileID
	tests := []struct {
		name     string
		form     url.Values
		want     string // the copy, as describeCopy says it
		wantErr  string
		wantCode int
	}{
		{"photo keeps its caption", copyForm(handlerUser.ID, photo), "photo " + pid + " caption 村口 <路灯> 坏了 of 1001/1", "", 0},
		{"photo with a new HTML caption", copyForm(handlerUser.ID, photo, "caption", "工单 <b>2026-000001</b>", "parse_mode", "HTML"), "photo " + pid + " caption 工单 2026-000001 of 1001/1", "", 0},
		{"voice", copyForm(handlerUser.ID, voice, "caption", "语音"), "voice " + vid + "/7 caption 语音 of 1001/2", "", 0},
		{"location ignores a caption", copyForm(handlerUser.ID, place, "caption", "x"), "location 39.9 of 1001/3", "", 0},
		{"text", copyForm(handlerUser.ID, text), "text 文字 of 1001/4", "", 0},
		{"caption too long", copyForm(handlerUser.ID, photo, "caption", long), "", "message caption is too long", 400},
		{"bad caption HTML", copyForm(handlerUser.ID, photo, "caption", "<b>x", "parse_mode", "HTML"), "", "can't parse entities", 400},
		{"no such message", copyForm(handlerUser.ID, Message{ID: 99}), "", "message to copy not found", 400},
		{"no message id", url.Values{"chat_id": {"1002"}, "from_chat_id": {"1001"}}, "", "message identifier is not specified", 400},
		{"no source chat", url.Values{"chat_id": {"1002"}, "message_id": {"1"}}, "", "from_chat_id is empty", 400},
		{"unknown source chat", url.Values{"chat_id": {"1002"}, "from_chat_id": {"5"}, "message_id": {"1"}}, "", "chat not found", 400},
		{"unknown target", copyForm(77, photo), "", "chat not found", 400},
		{"blocked target", copyForm(1003, photo), "", "bot was blocked by the user", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.Messages(handlerUser.ID))
			r := call(t, ts, "copyMessage", tt.form)
			if tt.wantErr != "" {
				if r.OK || r.ErrorCode != tt.wantCode || !strings.Contains(r.Description, tt.wantErr) {
					t.Fatalf("reply = %d %q, want %d %q", r.ErrorCode, r.Description, tt.wantCode, tt.wantErr)
				}
				if len(s.Messages(handlerUser.ID)) != before {
					t.Error("a refused copy left a message")
				}
				return
			}
			var id wireMessageID
			if !r.OK || json.Unmarshal(r.Result, &id) != nil || id.MessageID == 0 {
				t.Fatalf("reply = %+v", r)
			}
			m, _ := s.LastMessage(handlerUser.ID)
			if got := describeCopy(m); m.ID != id.MessageID || !m.FromBot || got != tt.want {
				t.Fatalf("copy %d (reply said %d) = %q, want %q", m.ID, id.MessageID, got, tt.want)
			}
		})
	}
	// A deleted original cannot be copied.
	s.mu.Lock()
	s.chats[alice.ID].byID[photo.ID].Deleted = true
	s.mu.Unlock()
	if r := call(t, ts, "copyMessage", copyForm(handlerUser.ID, photo)); r.OK || !strings.Contains(r.Description, "message to copy not found") {
		t.Errorf("copy of a deleted message = %+v", r)
	}
}

// describeCopy says what a copied message holds and where it came from.
func describeCopy(m Message) string {
	var what string
	switch {
	case m.PhotoFileID != "":
		what = "photo " + m.PhotoFileID
	case m.Voice != nil:
		what = fmt.Sprintf("voice %s/%d", m.Voice.FileID, m.Voice.Duration)
	case m.Location != nil:
		what = fmt.Sprintf("location %v", m.Location.Latitude)
	default:
		what = "text " + m.Plain
	}
	if m.Caption != "" {
		what += " caption " + m.Caption
	}
	if m.CopyOf != nil {
		what += fmt.Sprintf(" of %d/%d", m.CopyOf.ChatID, m.CopyOf.MessageID)
	}
	return what
}

func TestGetFileAndDownload(t *testing.T) {
	s, ts := newTestServer(t, WithToken("123:abc"))
	s.SendVoice(alice, 3, []byte("OggS audio bytes"))
	voice := s.Conversation(alice.ID)[0]
	s.SendPhoto(alice, "")
	photo := s.Conversation(alice.ID)[1]

	get := func(fileID string) reply {
		resp, err := http.PostForm(ts.URL+"/bot123:abc/getFile", url.Values{"file_id": {fileID}})
		if err != nil {
			t.Fatal(err)
		}
		return decodeReply(t, resp)
	}
	download := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	r := get(voice.Voice.FileID)
	var f wireFile
	if !r.OK || json.Unmarshal(r.Result, &f) != nil || f.FilePath == "" || f.FileSize != len("OggS audio bytes") {
		t.Fatalf("getFile = %+v", r)
	}
	if code, body := download("/file/bot123:abc/" + f.FilePath); code != 200 || body != "OggS audio bytes" {
		t.Errorf("download = %d %q", code, body)
	}
	if code, _ := download("/file/botWRONG/" + f.FilePath); code != 404 {
		t.Errorf("download with a wrong token = %d, want 404", code)
	}
	if code, _ := download("/file/bot123:abc/voice/nothing.oga"); code != 404 {
		t.Errorf("download of no file = %d, want 404", code)
	}
	if r := get(photo.PhotoFileID); !r.OK {
		t.Errorf("getFile of a photo = %+v", r)
	}
	if r := get("nonsense"); r.OK || !strings.Contains(r.Description, "invalid file_id") {
		t.Errorf("getFile of an unknown id = %+v", r)
	}
	if r := get(""); r.OK || !strings.Contains(r.Description, "file_id not specified") {
		t.Errorf("getFile without an id = %+v", r)
	}
	if data, ok := s.FileData(voice.Voice.FileID); !ok || string(data) != "OggS audio bytes" {
		t.Errorf("FileData = %q %v", data, ok)
	}
}

func TestVoiceUpdateAndPage(t *testing.T) {
	s, ts := newTestServer(t)
	s.AddUser(alice)
	s.SendVoice(alice, 0, nil)
	r := call(t, ts, "getUpdates", url.Values{})
	var ups []wireUpdate
	if err := json.Unmarshal(r.Result, &ups); err != nil || len(ups) != 1 || ups[0].Message.Voice == nil ||
		ups[0].Message.Voice.Duration != 1 || ups[0].Message.Voice.FileID == "" {
		t.Fatalf("updates = %s", r.Result)
	}

	post := func(body string) int {
		resp, err := http.Post(ts.URL+"/api/voice", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(`{"user":1001,"seconds":5}`); code != 200 {
		t.Fatalf("page voice = %d", code)
	}
	if code := post(`{"user":1001,"seconds":0}`); code != 400 {
		t.Errorf("page voice of 0 s = %d, want 400", code)
	}
	if code := post(`{"user":1001,"seconds":4,"audio":"T2dnUw=="}`); code != 200 {
		t.Errorf("page voice with audio = %d", code)
	}
	conv := s.Conversation(alice.ID)
	silent, _ := s.FileData(conv[1].Voice.FileID)
	if !bytes.Equal(silent, SilentVoice(5)) {
		t.Errorf("silent recording: %d bytes", len(silent))
	}
	if given, _ := s.FileData(conv[2].Voice.FileID); string(given) != "OggS" {
		t.Errorf("uploaded recording = %q", given)
	}
	resp, err := http.Get(ts.URL + "/api/chat?user=1001")
	if err != nil {
		t.Fatal(err)
	}
	var chat pageChat
	if err := json.NewDecoder(resp.Body).Decode(&chat); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(chat.Messages) != 3 || chat.Messages[1].HTML != "🎤 语音 5 秒" {
		t.Errorf("page messages = %+v", chat.Messages)
	}
}
