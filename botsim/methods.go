package botsim

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// maxText is Telegram's limit on a message text after entity parsing, in
// UTF-16 code units (what Telegram counts; a Chinese character is one unit,
// most emoji two).
const maxText = 4096

// maxDeleteAge is how old a bot message may be for deleteMessage.
const maxDeleteAge = 48 * time.Hour

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true,
	"choose_sticker": true, "find_location": true, "record_video_note": true,
	"upload_video_note": true,
}

// targetChat resolves chat_id; the caller holds s.mu. Usernames ("@name")
// are not simulated and are never found.
func (s *Server) targetChat(p params) (*chatState, *apiError) {
	if strings.TrimSpace(p["chat_id"]) == "" {
		return nil, errChatIDEmpty
	}
	id, ok := p.int("chat_id")
	if !ok {
		return nil, errChatNotFound
	}
	c := s.chats[id]
	if c == nil {
		return nil, errChatNotFound
	}
	return c, nil
}

func blockedErr(c *chatState) *apiError {
	if c.kind == "private" {
		return errBlocked
	}
	return forbidden("bot was kicked from the group chat")
}

// formatText validates a message text as Telegram does for its parse mode.
func formatText(text, parseMode string) (formatted, *apiError) {
	if strings.TrimSpace(text) == "" {
		return formatted{}, errTextEmpty
	}
	if !utf8.ValidString(text) {
		return formatted{}, errNotUTF8
	}
	var f formatted
	switch strings.ToLower(parseMode) {
	case "":
		f = plainText(text)
	case "html":
		var err error
		if f, err = parseHTML(text); err != nil {
			return formatted{}, badRequest("can't parse entities: " + err.Error())
		}
	case "markdown", "markdownv2":
		f = plainText(text) // accepted but not validated: the hotline uses HTML
	default:
		return formatted{}, badRequest("unsupported parse_mode")
	}
	if strings.TrimSpace(f.plain) == "" {
		return formatted{}, errTextEmpty
	}
	if utf16Len(f.plain) > maxText {
		return formatted{}, errTextTooLong
	}
	return f, nil
}

func isJSONObject(s string) bool {
	var obj map[string]json.RawMessage
	return json.Unmarshal([]byte(s), &obj) == nil
}

// throttle applies the strict flood limiter; the caller holds s.mu.
func (s *Server) throttle(chatID int64) *apiError {
	if retry, ok := s.limiter.allow(chatID, s.now()); !ok {
		return tooManyRequests(retry)
	}
	return nil
}

func (s *Server) record(chatID int64, msgID int, method string, at time.Time) {
	s.log = append(s.log, Delivery{ChatID: chatID, MessageID: msgID, Method: method, At: at})
}

func (s *Server) sendMessage(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.targetChat(p)
	if aerr != nil {
		return nil, aerr
	}
	f, aerr := formatText(p["text"], p["parse_mode"])
	if aerr != nil {
		return nil, aerr
	}
	mk, aerr := parseMarkup(p["reply_markup"])
	if aerr != nil {
		return nil, aerr
	}
	if lp, ok := p["link_preview_options"]; ok && !isJSONObject(lp) {
		return nil, badRequest("can't parse link preview options JSON object")
	}
	if c.blocked {
		return nil, blockedErr(c)
	}
	if aerr := s.throttle(c.id); aerr != nil {
		return nil, aerr
	}
	now := s.now()
	m := &msgRec{
		Message: Message{FromBot: true, Text: p["text"], Plain: f.plain, ParseMode: p["parse_mode"], Buttons: mk.inline, Date: now},
		from:    s.botWire(), entities: f.entities, safe: f.safe,
	}
	c.add(m)
	switch {
	case mk.replyKB:
		c.keyboard = mk.keyboard
	case mk.remove:
		c.keyboard = nil
	}
	c.typing = time.Time{} // a sent message ends "typing…"
	s.sent++
	s.record(c.id, m.ID, "sendMessage", now)
	return m.wire(c), nil
}

// editTarget resolves the chat and message of an edit; the caller holds s.mu.
func (s *Server) editTarget(p params) (*chatState, *msgRec, *apiError) {
	if p.has("inline_message_id") {
		return nil, nil, badRequest("MESSAGE_ID_INVALID") // inline messages are not simulated
	}
	c, aerr := s.targetChat(p)
	if aerr != nil {
		return nil, nil, aerr
	}
	id, ok := p.int("message_id")
	if !ok || id <= 0 {
		return nil, nil, errNoMessageID
	}
	if c.blocked {
		return nil, nil, blockedErr(c)
	}
	m := c.byID[int(id)]
	if m == nil || m.Deleted {
		return nil, nil, errEditNotFound
	}
	if !m.FromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, nil
}

// inlineMarkup parses reply_markup for an edit, which takes only an inline
// keyboard. Leaving it out removes the keyboard, as on Telegram.
func inlineMarkup(p params) ([][]Button, *apiError) {
	mk, aerr := parseMarkup(p["reply_markup"])
	if aerr != nil {
		return nil, aerr
	}
	if mk.replyKB || mk.remove {
		return nil, badRequest("inline keyboard expected")
	}
	return mk.inline, nil
}

func (s *Server) editMessageText(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, aerr := formatText(p["text"], p["parse_mode"])
	if aerr != nil {
		return nil, aerr
	}
	buttons, aerr := inlineMarkup(p)
	if aerr != nil {
		return nil, aerr
	}
	c, m, aerr := s.editTarget(p)
	if aerr != nil {
		return nil, aerr
	}
	if m.Plain == f.plain && slices.Equal(m.entities, f.entities) && sameButtons(m.Buttons, buttons) {
		return nil, errNotModified
	}
	if aerr := s.throttle(c.id); aerr != nil {
		return nil, aerr
	}
	now := s.now()
	m.revise(now)
	m.Text, m.Plain, m.ParseMode, m.entities, m.safe = p["text"], f.plain, p["parse_mode"], f.entities, f.safe
	m.Buttons = buttons
	c.version++
	s.record(c.id, m.ID, "editMessageText", now)
	return m.wire(c), nil
}

func (s *Server) editMessageReplyMarkup(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	buttons, aerr := inlineMarkup(p)
	if aerr != nil {
		return nil, aerr
	}
	c, m, aerr := s.editTarget(p)
	if aerr != nil {
		return nil, aerr
	}
	if sameButtons(m.Buttons, buttons) {
		return nil, errNotModified
	}
	if aerr := s.throttle(c.id); aerr != nil {
		return nil, aerr
	}
	now := s.now()
	m.revise(now)
	m.Buttons = buttons
	c.version++
	s.record(c.id, m.ID, "editMessageReplyMarkup", now)
	return m.wire(c), nil
}

// revise files the current version of m into its history.
func (m *msgRec) revise(now time.Time) {
	m.History = append(m.History, Revision{Text: m.Text, ParseMode: m.ParseMode, Buttons: m.Buttons, At: now})
	m.Edited = true
	m.editDate = now
}

func (s *Server) deleteMessage(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.targetChat(p)
	if aerr != nil {
		return nil, aerr
	}
	id, ok := p.int("message_id")
	if !ok || id <= 0 {
		return nil, errNoMessageID
	}
	if c.blocked {
		return nil, blockedErr(c)
	}
	m := c.byID[int(id)]
	if m == nil || m.Deleted {
		return nil, badRequest("message to delete not found")
	}
	if m.FromBot && s.now().Sub(m.Date) > maxDeleteAge {
		return nil, badRequest("message can't be deleted for everyone")
	}
	m.Deleted = true
	c.version++
	return true, nil
}

func (s *Server) answerCallbackQuery(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queries[p["callback_query_id"]]
	now := s.now()
	if q == nil || q.answered || now.Sub(q.at) > s.cfg.callbackTimeout {
		return nil, errQueryTooOld
	}
	if utf16Len(p["text"]) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	if p["url"] != "" {
		return nil, badRequest("URL_INVALID") // only games may open a URL
	}
	q.answered = true
	s.answers = append(s.answers, CallbackAnswer{
		QueryID: q.id, ChatID: q.chatID, MessageID: q.msgID, Data: q.data,
		Text: p["text"], ShowAlert: p.bool("show_alert"), At: now,
	})
	if c := s.chats[q.chatID]; c != nil {
		c.version++
	}
	return true, nil
}

func (s *Server) sendChatAction(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.targetChat(p)
	if aerr != nil {
		return nil, aerr
	}
	if !chatActions[p["action"]] {
		return nil, badRequest("wrong parameter action in request")
	}
	if c.blocked {
		return nil, blockedErr(c)
	}
	c.typing = s.now().Add(5 * time.Second) // Telegram shows it for 5 s
	c.version++
	return true, nil
}
