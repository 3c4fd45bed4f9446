package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConversationSettings(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		err     string
		stt     bool
		gas     string
		attach  time.Duration
		timeout time.Duration
	}{
		{"nothing set", nil, "", false, "", 0, 0},
		{"gas line and window", map[string]string{"HOTLINE_GAS_PHONE": "0316-5551234", "HOTLINE_ATTACH_WINDOW": "5m"}, "", false, "0316-5551234", 5 * time.Minute, 0},
		{"transcription", map[string]string{"HOTLINE_STT_URL": "http://127.0.0.1:8000", "HOTLINE_STT_MODEL": "large-v3", "HOTLINE_STT_TIMEOUT": "4s"}, "", true, "", 0, 4 * time.Second},
		{"transcription by default", map[string]string{"HOTLINE_STT_URL": "http://127.0.0.1:8000"}, "", true, "", 0, 10 * time.Second},
		{"bad window", map[string]string{"HOTLINE_ATTACH_WINDOW": "ten minutes"}, "HOTLINE_ATTACH_WINDOW", false, "", 0, 0},
		{"bad timeout", map[string]string{"HOTLINE_STT_URL": "http://127.0.0.1:8000", "HOTLINE_STT_TIMEOUT": "-1s"}, "HOTLINE_STT_TIMEOUT", false, "", 0, 0},
		{"bad URL", map[string]string{"HOTLINE_STT_URL": "127.0.0.1:8000"}, "HOTLINE_STT_URL", false, "", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := readConversationSettings(func(k string) string { return tc.env[k] }, testLog(t))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || (s.stt != nil) != tc.stt || s.cfg.GasPhone != tc.gas || s.cfg.AttachWithin != tc.attach {
				t.Fatalf("settings = %+v, %v", s, err)
			}
			if tc.stt && s.stt.Timeout() != tc.timeout {
				t.Errorf("timeout = %v", s.stt.Timeout())
			}
		})
	}
}

// In local mode with transcription on, a voice message sent from the chat
// page is fetched from the stand-in (getFile, download), transcribed by a
// local stand-in of a Whisper server, and reaches the handler its words
// name, with the voice after the card.
func TestServeTranscribesVoice(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	whisper := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, _, err := r.FormFile("file")
		if err != nil {
			http.Error(w, "no file", http.StatusBadRequest)
			return
		}
		audio, _ := io.ReadAll(f)
		if !bytes.HasPrefix(audio, []byte("OggS")) {
			http.Error(w, "not the page's recording", http.StatusBadRequest)
			return
		}
		io.WriteString(w, `{"text":"家里停水两天了"}`)
	}))
	defer whisper.Close()
	env := map[string]string{"HOTLINE_STT_URL": whisper.URL, "HOTLINE_STT_TIMEOUT": "5s"}
	watch := newAPIWatch()
	cfg := serveConfig{DB: filepath.Join(t.TempDir(), "voice.db"), Addr: "127.0.0.1:0", RosterEvery: time.Hour,
		wrapAPI: watch.wrap, getenv: func(k string) string { return env[k] }}
	s, err := startServe(ctx, cfg, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	post := func(path string, body any) { pagePost(t, s.URL(), path, body) }
	chat := func(user int64) string { return pageChat(t, s.URL(), user) }
	const resident, water = 900000001, 300000001 // 张大爷; 宋立军, the water department
	post("api/send", map[string]any{"user": water, "text": "/start"})
	watch.waitFor(t, "the department's greeting", func() bool { return strings.Contains(chat(water), "您好") })
	post("api/send", map[string]any{"user": resident, "text": "/start"})
	watch.waitFor(t, "the welcome", func() bool { return strings.Contains(chat(resident), "哪个片区") })
	post("api/send", map[string]any{"user": resident, "text": "翟各庄村"})
	watch.waitFor(t, "registered", func() bool { return strings.Contains(chat(resident), "已登记您住在") })
	post("api/voice", map[string]any{"user": resident, "seconds": 3})
	watch.waitFor(t, "the voice receipt", func() bool { return strings.Contains(chat(resident), "语音留言") })
	watch.waitFor(t, "card and voice", func() bool {
		c := chat(water)
		card := strings.Index(c, "[语音 3秒] 家里停水两天了")
		voice := strings.Index(c, "🎤 语音 3 秒")
		return card >= 0 && voice > card
	})
	if code, _ := get(t, s.URL()+"file/bot"+localToken+"/voice/file_1.oga"); code != http.StatusNotFound {
		t.Errorf("files must not be served on the page address: %d", code)
	}
	cancel()
	if err := s.Wait(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

// pagePost acts on the local chat page at base.
func pagePost(t *testing.T, base, path string, body any) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(base+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s = %d", path, resp.StatusCode)
	}
}

// pageChat is a user's chat as the local chat page shows it (JSON).
func pageChat(t *testing.T, base string, user int64) string {
	t.Helper()
	_, body := get(t, fmt.Sprintf("%sapi/chat?user=%d", base, user))
	return body
}
