// Package speech turns a voice message into text through an
// OpenAI-compatible transcription endpoint (POST /v1/audio/transcriptions),
// as local Whisper servers serve it. It is optional: the hotline opens a
// voice ticket without a transcript, and uses one only when it comes back
// in time.
package speech

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// Config says where the transcription server is and how long to wait.
type Config struct {
	// URL is the server's base URL (http://127.0.0.1:8000) or the
	// endpoint itself (…/v1/audio/transcriptions).
	URL      string
	Model    string        // default "whisper-1", which most local servers accept
	Language string        // ISO-639-1; default "zh"
	Timeout  time.Duration // the longest a transcription may take; default 10 s
}

// Defaults.
const (
	DefaultModel    = "whisper-1"
	DefaultLanguage = "zh"
	DefaultTimeout  = 10 * time.Second
)

// endpoint is the path of the transcription method.
const endpoint = "/v1/audio/transcriptions"

// maxAnswer bounds the answer read: a transcript of a voice message is a
// few hundred bytes.
const maxAnswer = 1 << 20

// ErrEmpty is returned for a transcription that holds no words (silence,
// noise): there is nothing to classify.
var ErrEmpty = errors.New("speech: the transcript is empty")

// Client transcribes voice messages.
type Client struct {
	url  string
	cfg  Config
	http *http.Client
}

// New returns a client for cfg; hc nil is http.DefaultClient. The URL must
// be http or https.
func New(cfg Config, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("speech: %q is not an http(s) URL", cfg.URL)
	}
	path := strings.TrimRight(u.Path, "/")
	switch {
	case strings.HasSuffix(path, endpoint):
	case strings.HasSuffix(path, "/v1"):
		path += strings.TrimPrefix(endpoint, "/v1")
	default:
		path += endpoint
	}
	u.Path = path
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Language == "" {
		cfg.Language = DefaultLanguage
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{url: u.String(), cfg: cfg, http: hc}, nil
}

// Timeout is how long a transcription may take.
func (c *Client) Timeout() time.Duration { return c.cfg.Timeout }

// Transcribe sends audio (named filename, e.g. voice.oga, whose extension
// tells the server the format) and returns its text. It gives up after the
// configured timeout; any failure is an error, and an answer without words
// is ErrEmpty.
func (c *Client) Transcribe(ctx context.Context, audio []byte, filename, mimeType string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	body, contentType, err := c.form(audio, filename, mimeType)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, body)
	if err != nil {
		return "", fmt.Errorf("speech: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("speech: transcribe: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", fmt.Errorf("speech: read the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("speech: transcribe: %s: %s", resp.Status, snippet(raw))
	}
	var answer struct {
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil || answer.Text == nil {
		return "", fmt.Errorf("speech: the answer is not a transcription: %s", snippet(raw))
	}
	text := strings.TrimSpace(*answer.Text)
	if text == "" {
		return "", ErrEmpty
	}
	return text, nil
}

// form is the multipart body of a transcription request.
func (c *Client) form(audio []byte, filename, mimeType string) (io.Reader, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	h.Set("Content-Type", mimeType)
	fw, err := w.CreatePart(h)
	if err != nil {
		return nil, "", fmt.Errorf("speech: %w", err)
	}
	if _, err := fw.Write(audio); err != nil {
		return nil, "", fmt.Errorf("speech: %w", err)
	}
	for _, f := range [][2]string{{"model", c.cfg.Model}, {"language", c.cfg.Language}, {"response_format", "json"}} {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, "", fmt.Errorf("speech: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", fmt.Errorf("speech: %w", err)
	}
	return &buf, w.FormDataContentType(), nil
}

// snippet is the start of an answer, for an error message.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	if s == "" {
		return "(empty)"
	}
	return s
}
