package botsim

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
)

// query is a callback query the bot may answer once, within the timeout.
type query struct {
	id       string
	chatID   int64
	msgID    int
	data     string
	at       time.Time
	answered bool
}

// SendText delivers a text message from the user to the bot in their private
// chat and returns the update id. Users and chats are created on first use;
// writing also lifts a block, since a user must unblock a bot to write to it.
// Commands ("/start") get bot_command entities, as on Telegram.
func (s *Server) SendText(from User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.privateChatLocked(from)
	return s.userMessageLocked(c, from.ID, textMessage(text))
}

// SendTextIn delivers a text message from the user in a group created with
// AddGroup.
func (s *Server) SendTextIn(chatID int64, from User, text string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil || c.kind == "private" {
		return 0, fmt.Errorf("botsim: no group %d", chatID)
	}
	s.userLocked(from)
	return s.userMessageLocked(c, from.ID, textMessage(text)), nil
}

// SendContact delivers the user's own phone number, as the "share contact"
// keyboard button does.
func (s *Server) SendContact(from User, phone string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.privateChatLocked(from)
	m := &msgRec{Message: Message{Contact: &Contact{Phone: phone, UserID: from.ID}}}
	m.safe = "[联系方式] " + html.EscapeString(phone)
	return s.userMessageLocked(c, from.ID, m)
}

// SendLocation delivers a shared location.
func (s *Server) SendLocation(from User, lat, lon float64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.privateChatLocked(from)
	m := &msgRec{Message: Message{Location: &Location{Latitude: lat, Longitude: lon}}}
	m.safe = fmt.Sprintf("[位置] %.5f, %.5f", lat, lon)
	return s.userMessageLocked(c, from.ID, m)
}

// SendVenue delivers a place picked from the map's list: a location with
// a title and an address.
func (s *Server) SendVenue(from User, lat, lon float64, title, address string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.privateChatLocked(from)
	m := &msgRec{Message: Message{Location: &Location{Latitude: lat, Longitude: lon, Title: title, Address: address}}}
	m.safe = html.EscapeString(fmt.Sprintf("[位置] %s %s %.5f, %.5f", title, address, lat, lon))
	return s.userMessageLocked(c, from.ID, m)
}

// SendPhoto delivers a photo with a fake file_id and the caption.
func (s *Server) SendPhoto(from User, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.privateChatLocked(from)
	id := fmt.Sprintf("AgACAgSimPhoto%d_%d", c.id, c.lastID+1)
	for _, size := range fakePhotoSizes(id) {
		s.addFileLocked(size.FileID, "photos", "jpg", photoJPEG())
	}
	m := &msgRec{Message: Message{PhotoFileID: id, Caption: caption}}
	m.safe = photoHTML(caption)
	return s.userMessageLocked(c, from.ID, m)
}

// SendCallback presses an inline button of a bot message in the user's
// private chat. Like Telegram, it refuses data that is not on the message's
// current keyboard.
func (s *Server) SendCallback(from User, messageID int, data string) (int64, error) {
	s.mu.Lock()
	s.privateChatLocked(from)
	s.mu.Unlock()
	return s.SendCallbackIn(from.ID, from, messageID, data)
}

// SendCallbackIn presses an inline button of a bot message in any chat.
func (s *Server) SendCallbackIn(chatID int64, from User, messageID int, data string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return 0, fmt.Errorf("botsim: no chat %d", chatID)
	}
	m := c.byID[messageID]
	if m == nil || m.Deleted || !m.FromBot {
		return 0, fmt.Errorf("botsim: no bot message %d in chat %d", messageID, chatID)
	}
	if !slices.ContainsFunc(m.Buttons, func(row []Button) bool {
		return slices.ContainsFunc(row, func(b Button) bool { return b.CallbackData == data })
	}) {
		return 0, fmt.Errorf("botsim: message %d has no button with data %q", messageID, data)
	}
	s.userLocked(from)
	s.nextQ++
	q := &query{id: strconv.FormatInt(4200000000000000000+s.nextQ, 10), chatID: chatID, msgID: messageID, data: data, at: s.now()}
	s.queries[q.id] = q
	cq := &wireCallbackQuery{
		ID: q.id, From: s.userWire(from.ID), Message: m.wire(c), Data: data,
		ChatInstance: strconv.FormatInt(chatID*31+17, 10),
	}
	return s.publishLocked(wireUpdate{CallbackQuery: cq}), nil
}

// Redeliver queues an earlier update again with the same update_id, as
// Telegram does when a bot did not confirm it. It goes out once, before any
// other pending update, whatever offset the bot polls with.
func (s *Server) Redeliver(updateID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.updates.sent[updateID]
	if !ok {
		return fmt.Errorf("botsim: no update %d", updateID)
	}
	s.updates.publish(u, true)
	return nil
}

func textMessage(text string) *msgRec {
	return &msgRec{
		Message:  Message{Text: text, Plain: text},
		entities: commandEntities(text),
		safe:     html.EscapeString(text),
	}
}

// userLocked makes sure the user exists; the caller holds s.mu.
func (s *Server) userLocked(u User) {
	if _, ok := s.users[u.ID]; !ok {
		fu := fillUser(u)
		s.users[u.ID] = &fu
	}
}

func (s *Server) userMessageLocked(c *chatState, fromID int64, m *msgRec) int64 {
	u := s.userWire(fromID)
	m.From, m.from, m.Date = *s.users[fromID], &u, s.now()
	if c.kind == "private" {
		s.setBlockedLocked(c, false) // writing needs the bot unblocked
	}
	c.add(m)
	return s.publishLocked(wireUpdate{Message: m.wire(c)})
}

// commandEntities marks "/command" and "/command@bot" words, with offsets in
// UTF-16 code units.
func commandEntities(text string) []wireEntity {
	var ents []wireEntity
	units := utf16.Encode([]rune(text))
	isCmd := func(u uint16) bool {
		return u == '_' || u == '@' || u >= '0' && u <= '9' || u >= 'a' && u <= 'z' || u >= 'A' && u <= 'Z'
	}
	for i := 0; i < len(units); i++ {
		if units[i] != '/' || (i > 0 && !isSpace16(units[i-1])) {
			continue
		}
		j := i + 1
		for j < len(units) && isCmd(units[j]) {
			j++
		}
		if j > i+1 && (j == len(units) || isSpace16(units[j])) {
			ents = append(ents, wireEntity{Type: "bot_command", Offset: i, Length: j - i})
		}
		i = j - 1
	}
	return ents
}

func isSpace16(u uint16) bool { return u == ' ' || u == '\n' || u == '\t' || u == '\r' }
