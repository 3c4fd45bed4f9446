package botsim

import (
	"slices"
	"time"
)

// Messages returns the bot's messages in a chat, oldest first, including
// deleted ones (flagged).
func (s *Server) Messages(chatID int64) []Message {
	return s.messages(chatID, true)
}

// Conversation returns every message in a chat, the user's included.
func (s *Server) Conversation(chatID int64) []Message {
	return s.messages(chatID, false)
}

func (s *Server) messages(chatID int64, botOnly bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	var out []Message
	for _, m := range c.msgs {
		if !botOnly || m.FromBot {
			out = append(out, m.copyMessage())
		}
	}
	return out
}

// BotMessageCount is how many messages the bot has sent to a chat,
// deleted ones included: len(Messages(chatID)) without copying them, so
// that a test waiting for the next message costs the same at the
// thousandth as at the first.
func (s *Server) BotMessageCount(chatID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return 0
	}
	n := 0
	for _, m := range c.msgs {
		if m.FromBot {
			n++
		}
	}
	return n
}

// LastMessage returns the bot's latest message in a chat that is not deleted.
func (s *Server) LastMessage(chatID int64) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return Message{}, false
	}
	for i := len(c.msgs) - 1; i >= 0; i-- {
		if m := c.msgs[i]; m.FromBot && !m.Deleted {
			return m.copyMessage(), true
		}
	}
	return Message{}, false
}

// Keyboard returns the reply keyboard the bot last set in a chat.
func (s *Server) Keyboard(chatID int64) [][]KeyButton {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([][]KeyButton, len(c.keyboard))
	for i, row := range c.keyboard {
		out[i] = slices.Clone(row)
	}
	return out
}

// Sent is the number of accepted sendMessage calls.
func (s *Server) Sent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

// CallCount returns how many times method (canonical spelling) was called,
// failed calls included.
func (s *Server) CallCount(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Deliveries returns every accepted send and edit in order, stamped with the
// simulator's clock: the raw material for checking flood limits.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// SendTimes returns when the accepted sends and edits to one chat happened.
func (s *Server) SendTimes(chatID int64) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Time
	for _, d := range s.log {
		if d.ChatID == chatID {
			out = append(out, d.At)
		}
	}
	return out
}

// AnsweredCallbacks returns the accepted answerCallbackQuery calls in order.
func (s *Server) AnsweredCallbacks() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.answers)
}

// Throttled is how many calls the strict flood limiter refused with 429.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limiter.throttled
}
