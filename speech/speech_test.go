package speech

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// standIn is a local transcription server: it checks the request as an
// OpenAI-compatible server reads it and answers what the test says.
func standIn(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/audio/transcriptions" {
			http.Error(w, "no such route "+r.URL.Path, http.StatusNotFound)
			return
		}
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f, h, err := r.FormFile("file")
		if err != nil {
			http.Error(w, "no file", http.StatusBadRequest)
			return
		}
		audio, _ := io.ReadAll(f)
		if string(audio) != "OggS-audio" || h.Filename != "voice.oga" || h.Header.Get("Content-Type") != "audio/ogg" ||
			r.FormValue("model") != "whisper-1" || r.FormValue("language") != "zh" || r.FormValue("response_format") != "json" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTranscribe(t *testing.T) {
	tests := []struct {
		name    string
		answer  func(w http.ResponseWriter, r *http.Request)
		timeout time.Duration
		want    string
		wantErr string
		empty   bool
	}{
		{"success", func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, `{"text":"  家里停水两天了  "}`)
		}, 0, "家里停水两天了", "", false},
		{"timeout", func(_ http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // never answers: the client must give up
		}, 50 * time.Millisecond, "", "deadline exceeded", false},
		{"500", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "model not loaded", http.StatusInternalServerError)
		}, 0, "", "500 Internal Server Error: model not loaded", false},
		{"malformed JSON", func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, `{"text": "半截`)
		}, 0, "", "not a transcription", false},
		{"JSON without text", func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, `{"error":"?"}`)
		}, 0, "", "not a transcription", false},
		{"empty text", func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, `{"text":"  "}`)
		}, 0, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := standIn(t, tt.answer)
			c, err := New(Config{URL: srv.URL, Timeout: tt.timeout}, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Transcribe(context.Background(), []byte("OggS-audio"), "voice.oga", "audio/ogg")
			switch {
			case tt.empty:
				if !errors.Is(err, ErrEmpty) {
					t.Fatalf("err = %v, want ErrEmpty", err)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			case err != nil || got != tt.want:
				t.Fatalf("Transcribe = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		url, want, err string
	}{
		{"http://127.0.0.1:8000", "http://127.0.0.1:8000/v1/audio/transcriptions", ""},
		{"http://127.0.0.1:8000/", "http://127.0.0.1:8000/v1/audio/transcriptions", ""},
		{"http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1/audio/transcriptions", ""},
		{"https://stt.local/v1/audio/transcriptions", "https://stt.local/v1/audio/transcriptions", ""},
		{"localhost:8000", "", "not an http(s) URL"},
		{"ftp://x", "", "not an http(s) URL"},
		{"", "", "not an http(s) URL"},
	}
	for _, tt := range tests {
		c, err := New(Config{URL: tt.url}, nil)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("New(%q) err = %v, want %q", tt.url, err, tt.err)
			}
			continue
		}
		if err != nil || c.url != tt.want || c.Timeout() != DefaultTimeout || c.cfg.Model != DefaultModel {
			t.Errorf("New(%q) = %+v, %v; want %s", tt.url, c, err, tt.want)
		}
	}
}
