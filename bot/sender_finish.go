package bot

import (
	"errors"
	"fmt"
	"time"

	"hotline/storage"
)

// finish handles an outcome in the loop goroutine.
func (r *run) finish(o outcome) {
	c, it := o.chat, o.it
	c.busy = false
	r.inFlight--
	// The time of the answer, not of its handling: that is when Telegram
	// counted it. Kept in order, because a token bucket fed a time earlier
	// than one it has seen refills that span twice.
	now := maxTime(o.doneAt, r.lastDone)
	r.lastDone = now
	row := it.row
	lane := lanes[it.lane]
	v, wait := judge(o.err)
	var permanent *permanentError
	if o.err != nil && !errors.As(o.err, &permanent) {
		r.s.obs.Refused(lane, status(o.err))
	}
	// A message counts against the limits once Telegram may have accepted
	// it: on an OK, and on no answer at all (it may have arrived). A 4xx
	// was refused before it counted.
	if v == verdictOK || v == verdictTransient {
		c.limit.accepted(now)
		c.group.accepted(now)
		r.global.accepted(now)
		if v == verdictOK {
			r.rec.sent(row.ChatID, now)
			r.global.raise(now)
		}
	}
	log := r.s.log.With("outbox_id", row.ID, "chat_id", row.ChatID)
	switch v {
	case verdictOK:
		if it.oneCall() {
			r.settle(c, it, []int{o.msgID}, now)
			return
		}
		it.sent = append(it.sent, o.msgID)
		if len(it.sent) == len(it.parts) {
			r.settle(c, it, it.sent, now)
			return
		}
		// Recorded part by part, so that a crash before the last part
		// repeats at most the part whose OK was not yet recorded.
		r.rec.add(storage.OutboxOp{Kind: storage.OpParts, ID: row.ID, TelegramIDs: append([]int(nil), it.sent...)})
	case verdictFlood:
		r.flood(o, now, wait)
	case verdictBlocked:
		r.rec.add(storage.OutboxOp{Kind: storage.OpBlocked, ChatID: row.ChatID, At: now})
		log.Info("sender: chat blocked the bot", "err", o.err)
		for l := range c.queue {
			r.lanes[l].held -= len(c.queue[l])
			c.queue[l] = nil
		}
	case verdictRejected:
		reason := o.err.Error()
		if len(it.sent) > 0 {
			reason += fmt.Sprintf(" (after %d of %d parts)", len(it.sent), len(it.parts))
		}
		r.rec.add(storage.OutboxOp{Kind: storage.OpFail, ID: row.ID, Reason: reason})
		log.Warn("sender: message refused", "reason", reason)
		r.pop(c, it)
	case verdictTransient:
		it.row.Attempts++
		d := backoff(it.row.Attempts)
		it.notBefore = now.Add(d)
		r.rec.add(storage.OutboxOp{Kind: storage.OpRetry, ID: row.ID, At: it.notBefore, Reason: o.err.Error()})
		log.Warn("sender: send failed, will retry", "err", o.err, "attempt", it.row.Attempts, "retry_in", d)
	}
}

// floodMemory is how long a 429 counts as evidence about the next one:
// the span of Telegram's global limit.
const floodMemory = time.Second

// flood handles a 429. Telegram does not say which limit was hit, so the
// sender judges from what it saw:
//   - the chat had no message accepted lately (its bucket was full when
//     the call started): its own limit cannot be the cause, the bot's is;
//   - another chat was refused within floodMemory: two chats' own limits
//     do not trip together, the bot's did;
//   - otherwise the chat's own limit is the likely cause, and other chats
//     are being accepted meanwhile: only this chat pauses. Were it the
//     bot's limit after all, the next call of another chat is refused and
//     the rule above says so within one round of calls in flight.
//
// The bot's limit pauses every chat for retry_after and cuts the global
// rate (see adaptive); a chat's pauses only that chat. Either way the row
// is tried again and no attempt is counted: Telegram refused it unread.
func (r *run) flood(o outcome, now time.Time, wait time.Duration) {
	c := o.chat
	until := now.Add(wait)
	c.pauseTo = maxTime(c.pauseTo, until)
	bot := o.chatIdle || (r.flooded.chat != c.id && !r.flooded.at.IsZero() && now.Sub(r.flooded.at) <= floodMemory)
	r.flooded.chat, r.flooded.at = c.id, now
	log := r.s.log.With("outbox_id", o.it.row.ID, "chat_id", c.id, "retry_after", wait)
	if !bot {
		log.Warn("sender: flood wait for one chat")
		return
	}
	r.pauseTo = maxTime(r.pauseTo, until)
	if r.global.cut(now, o.started) {
		log.Warn("sender: flood wait for the bot; global rate lowered", "rate", r.global.rate())
		return
	}
	log.Warn("sender: flood wait for the bot")
}

// settle records Telegram's OK and lets the chat's next row go.
func (r *run) settle(c *senderChat, it *item, ids []int, now time.Time) {
	r.pop(c, it)
	r.rec.add(storage.OutboxOp{Kind: storage.OpSent, ID: it.row.ID, TelegramIDs: append([]int(nil), ids...), At: now})
	r.s.obs.Sent(lanes[it.lane], now.Sub(it.row.CreatedAt))
}

func (r *run) pop(c *senderChat, it *item) {
	q := c.queue[it.lane]
	if len(q) > 0 && q[0] == it {
		c.queue[it.lane] = q[1:]
		r.lanes[it.lane].held--
	}
}
