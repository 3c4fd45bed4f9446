package intents

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"hotline/taxonomy"
)

// fixedClassifier stands in for the embedded model.
type fixedClassifier struct{ r Result }

func (f fixedClassifier) Classify(context.Context, Input) (Result, error) { return f.r, nil }

// ollamaStandIn answers /api/chat like Ollama: NDJSON, one object a line.
func ollamaStandIn(t *testing.T, status int, content string, delay <-chan struct{}, calls *atomic.Int32) *api.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/api/chat" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), `"stream":false`) || !strings.Contains(string(body), `"enum"`) || !strings.Contains(string(body), `"temperature":0`) {
			t.Errorf("request lacks stream:false, the enum schema or temperature 0: %s", body)
		}
		if delay != nil {
			select {
			case <-delay:
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		if status != http.StatusOK {
			w.WriteHeader(status)
			io.WriteString(w, `{"error":"model crashed"}`+"\n")
			return
		}
		msg, _ := json.Marshal(content)
		io.WriteString(w, `{"model":"m","created_at":"2026-11-28T00:00:00Z","message":{"role":"assistant","content":`+string(msg)+`},"done":true}`+"\n")
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return api.NewClient(u, srv.Client())
}

func TestOllamaSecondOpinion(t *testing.T) {
	unsure := Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Village: "翟各庄村", Confidence: 0.3, Source: "embedded"}
	sure := Result{Category: taxonomy.Roads, Urgency: taxonomy.Normal, Village: "翟各庄村", Confidence: 0.95, Source: "embedded"}
	tests := []struct {
		name      string
		embedded  Result
		status    int
		content   string
		slow      bool
		wantCat   taxonomy.Category
		wantUrg   taxonomy.Urgency
		wantSrc   string
		wantCalls int32
	}{
		{"correct answer", unsure, 200, `{"category":"heating","urgency":"urgent"}`, false, taxonomy.Heating, taxonomy.Urgent, SourceOllama, 1},
		{"confident embedded skips the LLM", sure, 200, `{"category":"heating","urgency":"urgent"}`, false, taxonomy.Roads, taxonomy.Normal, "embedded", 0},
		{"slow answer times out", unsure, 200, `{"category":"heating","urgency":"normal"}`, true, taxonomy.Other, taxonomy.Normal, "embedded", 1},
		{"server error", unsure, 500, "", false, taxonomy.Other, taxonomy.Normal, "embedded", 1},
		{"malformed JSON", unsure, 200, `{"category": heating`, false, taxonomy.Other, taxonomy.Normal, "embedded", 1},
		{"out of enum", unsure, 200, `{"category":"weather","urgency":"low"}`, false, taxonomy.Other, taxonomy.Normal, "embedded", 1},
		{"less urgent LLM keeps the embedded urgency", Result{Category: taxonomy.Other, Urgency: taxonomy.Urgent, Confidence: 0.2}, 200, `{"category":"safety","urgency":"normal"}`, false, taxonomy.Safety, taxonomy.Urgent, SourceOllama, 1},
		{"bad urgency still takes the category", unsure, 200, `{"category":"water","urgency":"asap"}`, false, taxonomy.Water, taxonomy.Normal, SourceOllama, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			var delay chan struct{}
			if tt.slow {
				delay = make(chan struct{})
				defer close(delay)
			}
			client := ollamaStandIn(t, tt.status, tt.content, delay, &calls)
			// Only the slow stand-in must hit the timeout; it never
			// answers. Its timeout is still long enough for a busy
			// machine to deliver the request (the test counts the call:
			// at 50 ms a loaded CI machine sometimes gave up before the
			// request arrived). The others get a long one, so that a busy
			// machine does not turn them into timeouts.
			timeout := time.Minute
			if tt.slow {
				timeout = time.Second
			}
			o := NewOllama(client, fixedClassifier{tt.embedded}, OllamaConfig{Model: "m", Threshold: 0.6, Timeout: timeout},
				slog.New(slog.NewTextHandler(io.Discard, nil)))
			got, err := o.Classify(context.Background(), Input{Text: "屋里冷得睡不着，那个空气能机器不出热风", ResidentVillage: "翟各庄村"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Category != tt.wantCat || got.Urgency != tt.wantUrg || got.Source != tt.wantSrc {
				t.Errorf("got %s/%s from %s, want %s/%s from %s", got.Category, got.Urgency, got.Source, tt.wantCat, tt.wantUrg, tt.wantSrc)
			}
			if got.Village != tt.embedded.Village {
				t.Errorf("village changed to %q", got.Village)
			}
			if n := calls.Load(); n != tt.wantCalls {
				t.Errorf("LLM called %d times, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestOllamaDown(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1") // nothing listens on port 1
	o := NewOllama(api.NewClient(u, http.DefaultClient), fixedClassifier{Result{Category: taxonomy.Power, Urgency: taxonomy.Normal, Confidence: 0.1}},
		OllamaConfig{Model: "m"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	got, err := o.Classify(context.Background(), Input{Text: "停电了"})
	if err != nil || got.Category != taxonomy.Power || got.Source == SourceOllama {
		t.Fatalf("got %+v, %v", got, err)
	}
}
