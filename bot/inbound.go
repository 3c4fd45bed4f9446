package bot

import (
	"fmt"
	"strings"

	"github.com/go-telegram/bot/models"
)

// inbound is what the conversation needs from an update, whatever its shape.
type inbound struct {
	userID  int64
	chatID  int64
	name    string
	private bool

	message   bool
	messageID int
	text      string // the text, or a photo's caption
	command   string // "start" for "/start" and "/start@HotlineBot"
	args      string
	photo     bool
	location  *models.Location
	contact   *models.Contact

	queryID     string
	data        string
	cbMessageID int

	blocked bool // the user blocked the bot (my_chat_member → kicked)
}

func parseUpdate(upd *models.Update) inbound {
	var in inbound
	switch {
	case upd.Message != nil:
		m := upd.Message
		in.message, in.messageID = true, m.ID
		in.chatID, in.private = m.Chat.ID, m.Chat.Type == models.ChatTypePrivate
		if m.From != nil {
			in.userID, in.name = m.From.ID, fullName(m.From.FirstName, m.From.LastName)
		}
		in.text = strings.TrimSpace(m.Text)
		if in.text == "" {
			in.text = strings.TrimSpace(m.Caption)
		}
		in.photo = len(m.Photo) > 0
		in.location, in.contact = m.Location, m.Contact
		if m.Text != "" {
			in.command, in.args = parseCommand(in.text)
		}
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		in.queryID, in.data = q.ID, q.Data
		in.userID, in.name = q.From.ID, fullName(q.From.FirstName, q.From.LastName)
		switch {
		case q.Message.Message != nil:
			in.chatID, in.cbMessageID = q.Message.Message.Chat.ID, q.Message.Message.ID
			in.private = q.Message.Message.Chat.Type == models.ChatTypePrivate
		case q.Message.InaccessibleMessage != nil:
			// Too old to edit; the press itself still counts.
			in.chatID = q.Message.InaccessibleMessage.Chat.ID
			in.private = in.chatID == in.userID
		default:
			in.chatID, in.private = q.From.ID, true
		}
	case upd.MyChatMember != nil:
		c := upd.MyChatMember
		in.userID, in.chatID = c.From.ID, c.Chat.ID
		in.private = c.Chat.Type == models.ChatTypePrivate
		in.blocked = c.NewChatMember.Type == models.ChatMemberTypeBanned
	}
	return in
}

func fullName(first, last string) string {
	return strings.TrimSpace(first + " " + last)
}

// parseCommand splits "/cmd@Bot args". The @Bot suffix is dropped: in a
// private chat every command is addressed to this bot.
func parseCommand(text string) (cmd, args string) {
	if !strings.HasPrefix(text, "/") {
		return "", ""
	}
	head, rest, _ := strings.Cut(text, " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		head, rest = head[:i], head[i+1:]+" "+rest
	}
	head = strings.TrimPrefix(head, "/")
	head, _, _ = strings.Cut(head, "@")
	return strings.ToLower(head), strings.TrimSpace(rest)
}

// reportText is what a message would say as a report, if it is one: a
// text that is not a command, a photo's caption, or a shared location.
func (in inbound) reportText() (string, bool) {
	switch {
	case !in.message || !in.private:
		return "", false
	case in.command != "":
		return "", false
	case in.location != nil:
		s := fmt.Sprintf("[位置] %.5f,%.5f", in.location.Latitude, in.location.Longitude)
		if in.text != "" {
			s += " " + in.text
		}
		return s, true
	case in.photo && in.text != "":
		return "[照片] " + in.text, true
	case in.text != "" && in.contact == nil && !in.photo:
		return in.text, true
	}
	return "", false
}
