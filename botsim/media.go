package botsim

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Photos, voice messages and their files: what users send besides text,
// copyMessage (the hotline hands a resident's photo to the handler with
// it), getFile and the file download a bot uses to fetch a voice message.

// maxCaption is Telegram's limit on a caption after entity parsing, in
// UTF-16 code units.
const maxCaption = 1024

// maxDownload is the largest file getFile lets a bot download (20 MB).
const maxDownload = 20 << 20

// Voice is a voice message.
type Voice struct {
	FileID   string
	Duration int // seconds
	MimeType string
}

// MessageRef names a message of a chat.
type MessageRef struct {
	ChatID    int64
	MessageID int
}

// fileRec is a file users sent, for getFile and the download.
type fileRec struct {
	id, uniqueID string
	path         string
	data         []byte
}

// addFileLocked stores a file under id; the caller holds s.mu.
func (s *Server) addFileLocked(id, dir, ext string, data []byte) {
	if s.files == nil {
		s.files = map[string]*fileRec{}
	}
	s.nextFile++
	s.files[id] = &fileRec{id: id, uniqueID: id + "-u", path: fmt.Sprintf("%s/file_%d.%s", dir, s.nextFile, ext), data: data}
}

// photoJPEG is what a simulated photo holds: a small real JPEG (a sky
// over a field), so that a browser shown it draws a picture, as it would
// a resident's photo from Telegram, which is always a JPEG.
var photoJPEG = sync.OnceValue(func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := range 120 {
		for x := range 160 {
			c := color.RGBA{R: 90, G: 160, B: 230, A: 255}
			if y >= 70 {
				c = color.RGBA{R: 80, G: uint8(120 + x/2), B: 60, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	return buf.Bytes()
})

// SendVoice delivers a voice message of the given length whose file holds
// audio (any bytes: an OGG/Opus file on Telegram), and returns the update id.
func (s *Server) SendVoice(from User, seconds int, audio []byte) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.privateChatLocked(from)
	id := fmt.Sprintf("AwACAgSimVoice%d_%d", c.id, c.lastID+1)
	s.addFileLocked(id, "voice", "oga", audio)
	m := &msgRec{Message: Message{Voice: &Voice{FileID: id, Duration: max(seconds, 1), MimeType: "audio/ogg"}}}
	m.safe = voiceHTML(m.Voice)
	return s.userMessageLocked(c, from.ID, m)
}

func voiceHTML(v *Voice) string { return fmt.Sprintf("🎤 语音 %d 秒", v.Duration) }

// FileData returns the bytes of a file users sent, by file id.
func (s *Server) FileData(fileID string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[fileID]
	if f == nil {
		return nil, false
	}
	return append([]byte(nil), f.data...), true
}

func (s *Server) getFile(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strings.TrimSpace(p["file_id"])
	if id == "" {
		return nil, badRequest("file_id not specified")
	}
	f := s.files[id]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	if len(f.data) > maxDownload {
		return nil, badRequest("file is too big")
	}
	return wireFile{FileID: f.id, FileUniqueID: f.uniqueID, FileSize: len(f.data), FilePath: f.path}, nil
}

// serveFile answers the download of a file getFile described, at
// /file/bot{token}/{file_path}, as Telegram does: 404 for anything else.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	token, path, ok := strings.Cut(rest, "/")
	if r.Method != http.MethodGet || !ok || (s.cfg.token != "" && token != s.cfg.token) {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	var data []byte
	for _, f := range s.files {
		if f.path == path {
			data = f.data
		}
	}
	s.mu.Unlock()
	if data == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data) // a failed write means the client left
}

// copyMsg is copyMessage: a new message from the bot in chat_id with the
// content of from_chat_id's message_id, without a link to the original.
// A caption (with parse_mode) replaces the original's for media.
func (s *Server) copyMsg(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.targetChat(p)
	if aerr != nil {
		return nil, aerr
	}
	if strings.TrimSpace(p["from_chat_id"]) == "" {
		return nil, badRequest("from_chat_id is empty")
	}
	fromID, ok := p.int("from_chat_id")
	from := s.chats[fromID]
	if !ok || from == nil {
		return nil, errChatNotFound
	}
	id, ok := p.int("message_id")
	if !ok || id <= 0 {
		return nil, errNoMessageID
	}
	src := from.byID[int(id)]
	if src == nil || src.Deleted {
		return nil, badRequest("message to copy not found")
	}
	mk, aerr := parseMarkup(p["reply_markup"])
	if aerr != nil {
		return nil, aerr
	}
	m := &msgRec{Message: src.copyMessage(), from: s.botWire(), entities: src.entities, safe: src.safe}
	m.FromBot, m.From, m.Edited, m.History, m.Deleted = true, User{}, false, nil, false
	m.Buttons, m.CopyOf = mk.inline, &MessageRef{ChatID: fromID, MessageID: int(id)}
	if caption, set := p["caption"]; set && m.hasCaption() {
		if aerr := m.setCaption(caption, p["parse_mode"]); aerr != nil {
			return nil, aerr
		}
	}
	if c.blocked {
		return nil, blockedErr(c)
	}
	if aerr := s.throttle(c.id); aerr != nil {
		return nil, aerr
	}
	now := s.now()
	m.Date = now
	c.add(m)
	c.typing = time.Time{} // a sent message ends "typing…"
	s.sent++
	s.record(c.id, m.ID, "copyMessage", now)
	return wireMessageID{MessageID: m.ID}, nil
}

var errCaptionTooLong = badRequest("message caption is too long")

// hasCaption reports whether m is a kind of message that carries a caption.
func (m *msgRec) hasCaption() bool { return m.PhotoFileID != "" || m.Voice != nil }

// setCaption replaces a media message's caption, validated as Telegram does.
func (m *msgRec) setCaption(caption, parseMode string) *apiError {
	if !utf8.ValidString(caption) {
		return errNotUTF8
	}
	var f formatted // an empty caption removes it
	if strings.TrimSpace(caption) != "" {
		var aerr *apiError
		f, aerr = formatText(caption, parseMode)
		switch {
		case aerr == errTextTooLong:
			return errCaptionTooLong
		case aerr != nil:
			return aerr
		}
	}
	if utf16Len(f.plain) > maxCaption {
		return errCaptionTooLong
	}
	m.Caption, m.entities = f.plain, f.entities
	m.safe = mediaHTML(m.Message, f.safe)
	return nil
}

// mediaHTML is how the chat page shows a photo or voice message with its
// caption (already safe HTML).
func mediaHTML(m Message, caption string) string {
	head := "[照片]"
	if m.Voice != nil {
		head = voiceHTML(m.Voice)
	}
	if caption == "" {
		return head
	}
	return head + " " + caption
}

// photoHTML is a user's photo with its plain caption, for the chat page.
func photoHTML(caption string) string {
	return mediaHTML(Message{PhotoFileID: "x"}, html.EscapeString(caption))
}
