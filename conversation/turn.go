package conversation

import (
	"context"
	"errors"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/routing"
	"hotline/storage"
	"hotline/tickets"
)

// Chat states: the conversation step a chat is in, kept in chats.state so
// that it survives restarts.
const (
	stateIdle     = ""
	stateRegister = "register" // a registered resident is choosing a new village
	stateNote     = "note"     // staff: the next text is the result note of ticket state_data ("ID" or "ID:outcome")
	stateAsked    = "asked"    // a resident sent a photo or place on its own: their next words go with it
	stateReason   = "reason"   // after 未解决: the next text says what is still wrong ("ID@unix deadline")
	stateNotify   = "notify"   // staff: a /notify waits for 确认发送 (JSON, see notify.go)
	stateAsk      = "ask"      // staff: the next text is the reason for a request, state_data "extend:ID" or "return:ID"
)

// turn is the handling of one inbound inside its transaction.
type turn struct {
	s    *Service
	ctx  context.Context
	tx   *storage.Tx
	a    *assets.Assets
	now  time.Time
	in   Inbound
	prep Prepared
	cmd  string // the command of a message, "" for none
	args string // the command's arguments

	staff   roster.Staff
	isStaff bool
	chat    storage.Chat

	out Outcome
}

func (t *turn) run() error {
	t.cmd, t.args = t.in.command()
	if t.in.UserID == 0 || !t.in.Private {
		// Groups and channels are not part of the hotline; a press in
		// one is still answered so its spinner stops.
		t.out.Answer = notice.RefuseStale
		return nil
	}
	if t.in.Blocked {
		return nil // the sender learns it from the 403 and marks the chat
	}
	if err := t.tx.TouchChat(t.ctx, t.in.ChatID, t.in.Name, t.now); err != nil {
		return err
	}
	chat, _, err := t.tx.Chat(t.ctx, t.in.ChatID)
	if err != nil {
		return err
	}
	t.chat = chat
	t.staff, t.isStaff = t.a.Roster.StaffByID(roster.StaffID(t.in.UserID))
	if t.isStaff {
		return t.runStaff()
	}
	return t.runResident()
}

// send queues a message to this chat.
func (t *turn) send(m storage.OutboxMessage) error {
	m.ChatID = t.in.ChatID
	_, err := t.tx.Enqueue(t.ctx, m, t.now)
	return err
}

// replace rewrites the message whose button was pressed (a menu turning
// into its next page or its result); without one it sends m afresh.
func (t *turn) replace(m storage.OutboxMessage) error {
	if t.in.PressedMessageID != 0 {
		m.Method, m.EditMessageID = "edit", t.in.PressedMessageID
	}
	return t.send(m)
}

func (t *turn) setState(state, data string) error {
	if t.chat.State == state && t.chat.StateData == data {
		return nil
	}
	t.chat.State, t.chat.StateData = state, data
	return t.tx.SetChatState(t.ctx, t.in.ChatID, state, data, t.now)
}

// markStarted records that the bot may write to this chat.
func (t *turn) markStarted() (first bool, err error) {
	if !t.chat.StartedAt.IsZero() {
		return false, nil
	}
	t.chat.StartedAt = t.now
	return true, t.tx.MarkStarted(t.ctx, t.in.ChatID, t.now)
}

// refusal says why a ticket operation was refused, or ok false when err is
// not a refusal but a fault (which rolls the whole update back).
func refusal(err error) (string, bool) {
	var illegal *routing.IllegalTransitionError
	switch {
	case errors.Is(err, tickets.ErrForbidden):
		return notice.RefuseNotYours, true
	case errors.Is(err, tickets.ErrAlreadyRated):
		return notice.RefuseAlreadyRated, true
	case errors.Is(err, tickets.ErrDone):
		return notice.RefuseDone, true
	case errors.Is(err, tickets.ErrPending):
		return notice.RefusePending, true
	case errors.Is(err, tickets.ErrNoReason):
		return notice.AskReasonFormat, true
	case errors.Is(err, tickets.ErrNotLater):
		return notice.RefuseNotLater, true
	case errors.Is(err, tickets.ErrNotLinkable):
		return notice.RefuseNotLinkable, true
	case errors.Is(err, storage.ErrNotFound):
		return notice.RefuseNotFound, true
	case errors.Is(err, routing.ErrTop):
		return notice.RefuseTop, true
	case errors.Is(err, routing.ErrNoHandler):
		// The roster has nobody to take it (no centre): refusing keeps
		// the ticket where it is; failing would retry the press in vain.
		return notice.RefuseNoHandler, true
	case errors.As(err, &illegal):
		return notice.RefuseState(illegal.From), true
	}
	return "", false
}

// try runs a ticket operation in a savepoint: a refusal undoes whatever it
// wrote, sets the toast and is not an error; a fault is returned.
func (t *turn) try(op func() error) (refused bool, err error) {
	err = t.tx.Try(t.ctx, op)
	if err == nil {
		return false, nil
	}
	if why, ok := refusal(err); ok {
		t.out.Answer = why
		return true, nil
	}
	return false, err
}

// classification returns the intent of a report for a village, computed
// before the transaction when possible.
func (t *turn) classification(text, village string) intents.Result {
	if r, ok := t.prep.intents[cacheKey(text, village)]; ok {
		return r
	}
	return t.s.classify(t.ctx, t.a, text, village)
}
