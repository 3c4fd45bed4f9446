package botsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxBody bounds a request body; the real Bot API accepts 50 MB uploads, but
// the methods simulated here carry only text.
const maxBody = 10 << 20

// params holds one request's parameters as the Bot API sees them: every value
// is a string, and structured values (reply_markup, commands) are JSON text.
// Telegram accepts the same parameter from the query string, a form or JSON.
type params map[string]string

// readParams decodes the query string and the body of r. go-telegram/bot sends
// multipart/form-data, chunked, and with an empty body (but a multipart
// content type) for methods without parameters.
func readParams(r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(body) > maxBody {
		return nil, errors.New("request entity too large")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	mediaType, mt, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		err = readMultipart(p, body, mt["boundary"])
	case "application/x-www-form-urlencoded":
		err = readForm(p, body)
	case "application/json":
		err = readJSON(p, body)
	default:
		err = fmt.Errorf("unsupported content type %q", mediaType)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

func readMultipart(p params, body []byte, boundary string) error {
	if boundary == "" {
		return errors.New("multipart body without boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("multipart: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return fmt.Errorf("multipart part %q: %w", part.FormName(), err)
		}
		// File uploads are accepted and ignored: no simulated method uses one.
		if part.FileName() == "" && part.FormName() != "" {
			p[part.FormName()] = string(data)
		}
	}
}

func readForm(p params, body []byte) error {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return fmt.Errorf("form: %w", err)
	}
	for k, v := range vals {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	return nil
}

func readJSON(p params, body []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	for k, raw := range obj {
		raw = bytes.TrimSpace(raw)
		if bytes.Equal(raw, []byte("null")) {
			continue
		}
		var s string
		if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
			p[k] = s
			continue
		}
		p[k] = string(raw)
	}
	return nil
}

func (p params) has(name string) bool {
	_, ok := p[name]
	return ok
}

// int returns the named integer parameter; ok is false when it is missing or
// not an integer, which Telegram treats alike.
func (p params) int(name string) (int64, bool) {
	v, ok := p[name]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil
}

// bool follows Telegram's lenient reading of "true", "True" and "1".
func (p params) bool(name string) bool {
	switch strings.ToLower(strings.TrimSpace(p[name])) {
	case "true", "1":
		return true
	}
	return false
}
