package botsim

import "time"

// fault is one scripted response: an error (code != 0), a delay before the
// call is handled, or both.
type fault struct {
	code       int
	retryAfter int
	delay      time.Duration
}

// FailNext makes the next n calls of method (canonical spelling, such as
// "sendMessage") fail with the HTTP/Bot API error code: 429 carries
// parameters.retry_after = retryAfter, 403 reads "bot was blocked by the
// user", others use Telegram's wording. Faults queue up in call order.
func (s *Server) FailNext(method string, n, code, retryAfter int) {
	s.script(method, n, fault{code: code, retryAfter: retryAfter})
}

// DelayNext makes the next n calls of method wait d (with the injected
// sleep) before they are handled. A client that gives up meanwhile gets no
// answer and the call has no effect.
func (s *Server) DelayNext(method string, n int, d time.Duration) {
	s.script(method, n, fault{delay: d})
}

// FailChat makes the next n sends and edits to chatID fail with the error
// code (429 carries retry_after), while calls to other chats go through:
// Telegram's own limit for one chat, tighter than the sender thinks.
func (s *Server) FailChat(chatID int64, n, code, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.chatFaults[chatID] = append(s.chatFaults[chatID], fault{code: code, retryAfter: retryAfter})
	}
}

// takeChatFault pops the next fault scripted for the chat a send, an edit
// or a copy writes to.
func (s *Server) takeChatFault(method string, p params) fault {
	if method != "sendMessage" && method != "editMessageText" && method != "copyMessage" {
		return fault{}
	}
	id, ok := p.int("chat_id")
	if !ok {
		return fault{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.chatFaults[id]
	if len(q) == 0 {
		return fault{}
	}
	s.chatFaults[id] = q[1:]
	return q[0]
}

func (s *Server) script(method string, n int, f fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[method] = append(s.faults[method], f)
	}
}

// takeFault pops the next scripted fault; the caller holds s.mu.
func (s *Server) takeFault(method string) fault {
	q := s.faults[method]
	if len(q) == 0 {
		return fault{}
	}
	s.faults[method] = q[1:]
	return q[0]
}

// Block makes every later call that writes to chatID fail with 403, as when
// the user blocked the bot (or, for a group, removed it), and tells the bot
// with a my_chat_member update (private chats). A positive id that is not
// known yet becomes a user.
func (s *Server) Block(chatID int64) { s.setBlocked(chatID, true) }

// Unblock undoes Block, as when the user presses Restart; the bot gets a
// my_chat_member update back to "member".
func (s *Server) Unblock(chatID int64) { s.setBlocked(chatID, false) }

func (s *Server) setBlocked(chatID int64, b bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	if c == nil && chatID > 0 {
		c = s.privateChatLocked(User{ID: chatID})
	}
	if c != nil {
		s.setBlockedLocked(c, b)
	}
}

// setBlockedLocked changes a chat's blocked flag. For a private chat the bot
// hears of it as Telegram tells it: a my_chat_member update in which the
// bot becomes "kicked" (blocked) or "member" again.
func (s *Server) setBlockedLocked(c *chatState, b bool) {
	if c.blocked == b {
		return
	}
	c.blocked = b
	if c.kind != "private" {
		return
	}
	old, now := "member", "kicked"
	if !b {
		old, now = now, old
	}
	bot := *s.botWire()
	s.publishLocked(wireUpdate{MyChatMember: &wireChatMemberUpdated{
		Chat: c.wire(), From: s.userWire(c.id), Date: s.now().Unix(),
		OldChatMember: wireChatMember{User: bot, Status: old},
		NewChatMember: wireChatMember{User: bot, Status: now},
	}})
}

// SetRateLimits replaces the flood limiter's limits; the zero value turns it
// off. The limiter's history starts afresh; Throttled keeps counting.
func (s *Server) SetRateLimits(l RateLimits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	throttled := s.limiter.throttled
	s.limiter = newLimiter(l)
	s.limiter.throttled = throttled
}
