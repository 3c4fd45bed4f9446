package botsim

import "time"

// User is a simulated Telegram user. Label is shown in the chat page's
// dropdown (for example "王芳 · 网格员") and Link beside the chat; neither
// reaches the bot.
type User struct {
	ID        int64
	FirstName string
	LastName  string
	Username  string
	Label     string
	Link      *PageLink
}

// PageLink is a link the chat page shows while acting as a user, e.g. to
// the desk the hotline serves beside it.
type PageLink struct {
	Text string
	URL  string
}

// Button is one inline keyboard button as the bot sent it.
type Button struct {
	Text         string
	CallbackData string
	URL          string
}

// KeyButton is one reply keyboard button (the keyboard below the text box).
type KeyButton struct {
	Text            string
	RequestContact  bool
	RequestLocation bool
}

// Revision is an earlier version of an edited bot message.
type Revision struct {
	Text      string
	ParseMode string
	Buttons   [][]Button
	At        time.Time // when this version was replaced
}

// Contact is a shared phone number.
type Contact struct {
	Phone  string
	UserID int64
}

// Location is a shared point; a venue (a place picked from the map's
// list) has a title and an address too.
type Location struct {
	Latitude, Longitude float64
	Title, Address      string
}

// Message is one message in a simulated chat, from the bot or from a user.
type Message struct {
	ID      int
	ChatID  int64
	FromBot bool
	From    User // the sender of a user message
	// Text is the text as the bot sent it (raw HTML with parse_mode HTML);
	// Plain is what Telegram would display: tags removed, entities decoded.
	Text      string
	Plain     string
	ParseMode string
	Buttons   [][]Button
	Date      time.Time
	Edited    bool
	History   []Revision // earlier versions, oldest first
	Deleted   bool

	Contact     *Contact
	Location    *Location
	PhotoFileID string
	Voice       *Voice
	Caption     string
	CopyOf      *MessageRef // a bot message sent with copyMessage: the original
}

// CallbackAnswer records one accepted answerCallbackQuery.
type CallbackAnswer struct {
	QueryID   string
	ChatID    int64
	MessageID int
	Data      string
	Text      string
	ShowAlert bool
	At        time.Time
}

// Delivery is one accepted call that Telegram counts against the flood
// limits (sendMessage and the edits), stamped with the simulator's clock.
type Delivery struct {
	ChatID    int64
	MessageID int
	Method    string
	At        time.Time
}

// Command is one entry of the bot's command menu.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}
