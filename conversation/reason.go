package conversation

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"hotline/notice"
	"hotline/storage"
)

// After 未解决 the resident is asked, once, what is still wrong. Their next
// text within reasonWithin is the answer: it goes on the handler's card
// and to the handler. Answering is optional; a button or /cancel ends the
// question, and a text after the window is a report like any other.

// askReason asks what is still wrong with tk, which the resident just sent
// back.
func (t *turn) askReason(tk storage.Ticket) error {
	data := fmt.Sprintf("%d@%d", tk.ID, t.now.Add(reasonWithin).Unix())
	if err := t.setState(stateReason, data); err != nil {
		return err
	}
	return t.send(notice.AskReopenReason(tk))
}

// reopenReason takes text as the answer to askReason, if the question is
// still open; done is false when the text is to be read as a report.
func (t *turn) reopenReason(r storage.Resident, text string) (done bool, err error) {
	id, until, ok := parseReason(t.chat.StateData)
	if err := t.setState(stateIdle, ""); err != nil {
		return false, err
	}
	if !ok || t.now.After(until) {
		return false, nil
	}
	var tk storage.Ticket
	refused, err := t.try(func() error {
		var err error
		tk, err = t.s.tickets.ReopenReason(t.ctx, t.tx, id, r.ID, text)
		return err
	})
	if err != nil {
		return true, err
	}
	if refused {
		// Resolved or moved on meanwhile: the words are a new report.
		t.out.Answer = ""
		return false, nil
	}
	return true, t.send(notice.ReopenReasonNoted(tk))
}

// endReason drops an open question of askReason: the resident pressed a
// button instead of answering.
func (t *turn) endReason() error {
	if t.chat.State != stateReason {
		return nil
	}
	return t.setState(stateIdle, "")
}

// parseReason reads the state data of askReason: "ID@deadline".
func parseReason(data string) (storage.TicketID, time.Time, bool) {
	idText, untilText, ok := strings.Cut(data, "@")
	id, err1 := strconv.ParseInt(idText, 10, 64)
	until, err2 := strconv.ParseInt(untilText, 10, 64)
	if !ok || err1 != nil || err2 != nil || id <= 0 {
		return 0, time.Time{}, false
	}
	return storage.TicketID(id), time.Unix(until, 0), true
}
