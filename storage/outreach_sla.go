package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"hotline/roster"
	"hotline/routing"
)

// EventSLAMissed is the ticket event written when a ticket is escalated
// because its handler let a deadline pass. The escalation gives the next
// handler fresh deadlines; this event is what keeps the miss countable.
const EventSLAMissed = "sla_missed"

// SLAMiss is one deadline a handler let pass.
type SLAMiss struct {
	TicketID  TicketID
	At        time.Time // when it was noticed and the ticket escalated
	Deadline  string    // "accept" or "resolve"
	Due       time.Time
	HandlerID roster.StaffID
	Handler   string
}

type slaMissData struct {
	Deadline  string         `json:"deadline"`
	Due       string         `json:"due"`
	HandlerID roster.StaffID `json:"handler_id"`
	Handler   string         `json:"handler"`
}

// SLAMissEvent is the history entry of a missed deadline, written in the
// transaction that escalates the ticket.
func SLAMissEvent(m SLAMiss, state routing.State) (Event, error) {
	data, err := json.Marshal(slaMissData{Deadline: m.Deadline, Due: fmtTime(m.Due), HandlerID: m.HandlerID, Handler: m.Handler})
	if err != nil {
		return Event{}, fmt.Errorf("encode missed deadline: %w", err)
	}
	return Event{TicketID: m.TicketID, At: m.At, Kind: EventSLAMissed, FromState: state, ToState: state, Data: string(data)}, nil
}

// missedCols are the ticket columns keeping when it first missed each
// deadline (migration 0092): the reports judge a miss from the row.
var missedCols = map[string]string{"accept": "accept_missed_at", "resolve": "resolve_missed_at"}

// noteMiss keeps on its ticket when it first missed the deadline of e (an
// sla_missed event), moving the ticket's counts in the rollup unless the
// transaction saw it open (a deadline is missed by an open ticket).
func (t *Tx) noteMiss(ctx context.Context, e Event) error {
	var d slaMissData
	if err := json.Unmarshal([]byte(e.Data), &d); err != nil {
		return fmt.Errorf("missed deadline of ticket %d: %w", e.TicketID, err)
	}
	col, ok := missedCols[d.Deadline]
	if !ok {
		return nil // the rates count only these two
	}
	at := fmtTime(e.At)
	update := func() error {
		_, err := t.exec(ctx, `UPDATE tickets SET `+col+` = :at WHERE id = :id AND (`+col+` IS NULL OR `+col+` > :at)`,
			sql.Named("at", at), sql.Named("id", e.TicketID))
		if err != nil {
			return fmt.Errorf("note missed deadline of ticket %d: %w", e.TicketID, err)
		}
		return nil
	}
	if t.open[e.TicketID] {
		return update()
	}
	return t.changeTickets(ctx, update, "k.id = :id", sql.Named("id", e.TicketID))
}

// SLAMisses lists the deadlines missed before `before` on tickets created
// in [from, to), oldest first.
func (t *Tx) SLAMisses(ctx context.Context, from, to, before time.Time) ([]SLAMiss, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT e.ticket_id, e.at, e.data FROM ticket_events e
		JOIN tickets k ON k.id = e.ticket_id
		WHERE e.kind = 'sla_missed' -- a literal, so the partial index applies
			AND e.at < ? AND k.created_at >= ? AND k.created_at < ? ORDER BY e.id`,
		fmtTime(before), fmtTime(from), fmtTime(to))
	if err != nil {
		return nil, fmt.Errorf("list missed deadlines: %w", err)
	}
	defer rows.Close()
	var out []SLAMiss
	for rows.Next() {
		var m SLAMiss
		var at sql.NullString
		var raw string
		if err := rows.Scan(&m.TicketID, &at, &raw); err != nil {
			return nil, fmt.Errorf("list missed deadlines: %w", err)
		}
		var d slaMissData
		if err := json.Unmarshal([]byte(raw), &d); err != nil {
			return nil, fmt.Errorf("missed deadline of ticket %d: %w", m.TicketID, err)
		}
		m.At, m.Deadline, m.HandlerID, m.Handler = parseTime(at), d.Deadline, d.HandlerID, d.Handler
		m.Due = parseTime(sql.NullString{String: d.Due, Valid: true})
		out = append(out, m)
	}
	return out, rows.Err()
}
