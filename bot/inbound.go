package bot

import (
	"strings"

	"github.com/go-telegram/bot/models"

	"hotline/conversation"
)

// inbound is what the conversation needs from an update, whatever its
// shape, plus the callback query id the adapter answers.
func inbound(upd *models.Update) (in conversation.Inbound, queryID string) {
	switch {
	case upd.Message != nil:
		m := upd.Message
		in.Message, in.MessageID = true, m.ID
		in.ChatID, in.Private = m.Chat.ID, m.Chat.Type == models.ChatTypePrivate
		if m.From != nil {
			in.UserID, in.Name = m.From.ID, fullName(m.From.FirstName, m.From.LastName)
		}
		in.Text = strings.TrimSpace(m.Text)
		if in.Text == "" {
			in.Text = strings.TrimSpace(m.Caption)
		}
		if n := len(m.Photo); n > 0 {
			// Telegram lists the sizes smallest first; the handler and
			// the desk want the largest.
			in.Photo = true
			in.PhotoFile = conversation.File{ID: m.Photo[n-1].FileID, UniqueID: m.Photo[n-1].FileUniqueID}
		}
		if v := m.Voice; v != nil {
			in.Voice = &conversation.Voice{File: conversation.File{ID: v.FileID, UniqueID: v.FileUniqueID}, Duration: v.Duration, MimeType: v.MimeType}
		}
		if l := m.Location; l != nil {
			in.Location = &conversation.Location{Latitude: l.Latitude, Longitude: l.Longitude}
		}
		if v := m.Venue; v != nil { // a place picked from the list: Telegram sends its location too
			in.Location = &conversation.Location{Latitude: v.Location.Latitude, Longitude: v.Location.Longitude,
				Title: v.Title, Address: v.Address}
		}
		if c := m.Contact; c != nil {
			in.Contact = &conversation.Contact{UserID: c.UserID, PhoneNumber: c.PhoneNumber}
		}
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		queryID = q.ID
		in.Pressed, in.Data = true, q.Data
		in.UserID, in.Name = q.From.ID, fullName(q.From.FirstName, q.From.LastName)
		switch {
		case q.Message.Message != nil:
			in.ChatID, in.PressedMessageID = q.Message.Message.Chat.ID, q.Message.Message.ID
			in.Private = q.Message.Message.Chat.Type == models.ChatTypePrivate
		case q.Message.InaccessibleMessage != nil:
			// Too old to edit; the press itself still counts.
			in.ChatID = q.Message.InaccessibleMessage.Chat.ID
			in.Private = in.ChatID == in.UserID
		default:
			in.ChatID, in.Private = q.From.ID, true
		}
	case upd.MyChatMember != nil:
		c := upd.MyChatMember
		in.UserID, in.ChatID = c.From.ID, c.Chat.ID
		in.Private = c.Chat.Type == models.ChatTypePrivate
		in.Blocked = c.NewChatMember.Type == models.ChatMemberTypeBanned
	}
	return in, queryID
}

func fullName(first, last string) string {
	return strings.TrimSpace(first + " " + last)
}
