package botsim

import (
	"fmt"
	"slices"
	"time"
)

// chatState is one simulated chat. Message ids count per chat, shared by
// both directions, as in Telegram's private chats.
type chatState struct {
	id       int64
	kind     string // "private" or "group"
	title    string
	peer     *User // private chats only
	lastID   int
	msgs     []*msgRec
	byID     map[int]*msgRec
	keyboard [][]KeyButton
	blocked  bool
	typing   time.Time // until when "typing…" shows
	version  int64     // bumps on every visible change, for the chat page
}

type msgRec struct {
	Message
	from     *wireUser
	entities []wireEntity
	safe     string // HTML for the chat page
	editDate time.Time
}

func (c *chatState) wire() wireChat {
	if c.kind == "private" {
		return wireChat{ID: c.id, Type: "private", FirstName: c.peer.FirstName, LastName: c.peer.LastName, Username: c.peer.Username}
	}
	return wireChat{ID: c.id, Type: c.kind, Title: c.title}
}

func (c *chatState) add(m *msgRec) {
	c.lastID++
	m.ID = c.lastID
	m.ChatID = c.id
	c.msgs = append(c.msgs, m)
	c.byID[m.ID] = m
	c.version++
}

func (m *msgRec) wire(c *chatState) *wireMessage {
	w := &wireMessage{MessageID: m.ID, From: m.from, Chat: c.wire(), Date: m.Date.Unix()}
	if !m.editDate.IsZero() {
		w.EditDate = m.editDate.Unix()
	}
	switch {
	case m.PhotoFileID != "":
		w.Photo = fakePhotoSizes(m.PhotoFileID)
		w.Caption, w.CaptionEntities = m.Caption, m.entities
	case m.Voice != nil:
		w.Voice = &wireVoice{FileID: m.Voice.FileID, FileUniqueID: m.Voice.FileID + "-u", Duration: m.Voice.Duration, MimeType: m.Voice.MimeType}
		w.Caption, w.CaptionEntities = m.Caption, m.entities
	case m.Contact != nil:
		w.Contact = &wireContact{PhoneNumber: m.Contact.Phone, FirstName: m.From.FirstName, LastName: m.From.LastName, UserID: m.Contact.UserID}
	case m.Location != nil:
		w.Location = &wireLocation{Latitude: m.Location.Latitude, Longitude: m.Location.Longitude}
		if m.Location.Title != "" {
			w.Venue = &wireVenue{Location: *w.Location, Title: m.Location.Title, Address: m.Location.Address}
		}
	default:
		w.Text, w.Entities = m.Plain, m.entities
	}
	if len(m.Buttons) > 0 {
		kb := make([][]wireInlineButton, len(m.Buttons))
		for i, row := range m.Buttons {
			for _, b := range row {
				kb[i] = append(kb[i], wireInlineButton(b))
			}
		}
		w.ReplyMarkup = &wireInlineMarkup{InlineKeyboard: kb}
	}
	return w
}

func fakePhotoSizes(fileID string) []wirePhotoSize {
	return []wirePhotoSize{
		{FileID: fileID + "-s", FileUniqueID: fileID + "-su", Width: 90, Height: 68, FileSize: 1400},
		{FileID: fileID, FileUniqueID: fileID + "-u", Width: 1280, Height: 960, FileSize: 98000},
	}
}

// copyMessage returns a deep copy that callers may keep.
func (m *msgRec) copyMessage() Message {
	out := m.Message
	out.Buttons = copyButtons(m.Buttons)
	out.History = slices.Clone(m.History)
	for i := range out.History {
		out.History[i].Buttons = copyButtons(out.History[i].Buttons)
	}
	if m.Contact != nil {
		c := *m.Contact
		out.Contact = &c
	}
	if m.Location != nil {
		l := *m.Location
		out.Location = &l
	}
	if m.Voice != nil {
		v := *m.Voice
		out.Voice = &v
	}
	if m.CopyOf != nil {
		r := *m.CopyOf
		out.CopyOf = &r
	}
	return out
}

func copyButtons(b [][]Button) [][]Button {
	if b == nil {
		return nil
	}
	out := make([][]Button, len(b))
	for i, row := range b {
		out[i] = slices.Clone(row)
	}
	return out
}

func sameButtons(a, b [][]Button) bool {
	return slices.EqualFunc(a, b, func(x, y []Button) bool { return slices.Equal(x, y) })
}

// AddUser registers a user for the chat page's dropdown and opens the private
// chat, so the bot can write to the user before the user writes. IDs must be
// positive; others are ignored.
func (s *Server) AddUser(u User) {
	if u.ID <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.roster, u.ID) {
		s.roster = append(s.roster, u.ID)
	}
	s.privateChatLocked(u)
	stored := s.users[u.ID]
	*stored = fillUser(u)
}

// AddGroup creates a group chat (id must be negative) that users can write in
// with SendTextIn and SendCallbackIn.
func (s *Server) AddGroup(id int64, title string) error {
	if id >= 0 {
		return fmt.Errorf("botsim: group id %d must be negative", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.chats[id]; !ok {
		s.chats[id] = &chatState{id: id, kind: "group", title: title, byID: map[int]*msgRec{}}
	}
	return nil
}

// Users returns the users registered with AddUser, in order.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.roster))
	for _, id := range s.roster {
		out = append(out, *s.users[id])
	}
	return out
}

func fillUser(u User) User {
	if u.FirstName == "" {
		u.FirstName = fmt.Sprintf("用户%d", u.ID)
	}
	return u
}

// privateChatLocked returns the private chat with u, creating the user and
// the chat on first use. The caller holds s.mu.
func (s *Server) privateChatLocked(u User) *chatState {
	if _, ok := s.users[u.ID]; !ok {
		fu := fillUser(u)
		s.users[u.ID] = &fu
	}
	c, ok := s.chats[u.ID]
	if !ok {
		c = &chatState{id: u.ID, kind: "private", peer: s.users[u.ID], byID: map[int]*msgRec{}}
		s.chats[u.ID] = c
	}
	return c
}

func (s *Server) chatLocked(id int64) *chatState { return s.chats[id] }

func (s *Server) userWire(id int64) wireUser {
	u := s.users[id]
	return wireUser{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username, LanguageCode: "zh-hans"}
}
