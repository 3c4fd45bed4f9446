package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// WorkOrder is a 12345 order as last imported, and its ticket.
type WorkOrder struct {
	Number       string
	TicketID     TicketID
	Fields       string // JSON of the order's columns
	Fingerprint  string
	DispatchedAt time.Time
	OrderType    string
	Supervised   bool
	ImportedAt   time.Time
	UpdatedAt    time.Time
	SourceFile   string
}

const workOrderCols = `number, ticket_id, fields, fingerprint, dispatched_at, order_type, supervised, imported_at, updated_at, source_file`

func scanWorkOrder(sc scanner) (WorkOrder, error) {
	var o WorkOrder
	var dispatched, imported, updated sql.NullString
	err := sc.Scan(&o.Number, &o.TicketID, &o.Fields, &o.Fingerprint, &dispatched, &o.OrderType, &o.Supervised,
		&imported, &updated, &o.SourceFile)
	o.DispatchedAt, o.ImportedAt, o.UpdatedAt = parseTime(dispatched), parseTime(imported), parseTime(updated)
	return o, err
}

// WorkOrder returns the order with number, or ErrNotFound.
func (t *Tx) WorkOrder(ctx context.Context, number string) (WorkOrder, error) {
	o, err := scanWorkOrder(t.tx.QueryRowContext(ctx, `SELECT `+workOrderCols+` FROM work_orders WHERE number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return WorkOrder{}, ErrNotFound
	}
	if err != nil {
		return WorkOrder{}, fmt.Errorf("read work order %s: %w", number, err)
	}
	return o, nil
}

// PutWorkOrder inserts or replaces an order's row.
func (t *Tx) PutWorkOrder(ctx context.Context, o WorkOrder) error {
	_, err := t.exec(ctx, `INSERT INTO work_orders (`+workOrderCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (number) DO UPDATE SET fields = excluded.fields, fingerprint = excluded.fingerprint,
		dispatched_at = excluded.dispatched_at, order_type = excluded.order_type, supervised = excluded.supervised,
		updated_at = excluded.updated_at, source_file = excluded.source_file`,
		o.Number, o.TicketID, o.Fields, o.Fingerprint, nullTime(o.DispatchedAt), o.OrderType, o.Supervised,
		fmtTime(o.ImportedAt), fmtTime(o.UpdatedAt), o.SourceFile)
	if err != nil {
		return fmt.Errorf("store work order %s: %w", o.Number, err)
	}
	return nil
}

// DispatchedOrder is a work order with its ticket, for the export back to
// the platform.
type DispatchedOrder struct {
	WorkOrder
	Ticket Ticket
}

// WorkOrdersDispatched lists the orders dispatched in [from, before), by
// dispatch time, with their tickets.
func (t *Tx) WorkOrdersDispatched(ctx context.Context, from, before time.Time) ([]DispatchedOrder, error) {
	return queryAll(ctx, t.tx, "list work orders", func(sc scanner) (DispatchedOrder, error) {
		var d DispatchedOrder
		var dispatched, imported, updated sql.NullString
		var tid TicketID
		dest := []any{&d.Number, &d.TicketID, &d.Fields, &d.Fingerprint, &dispatched, &d.OrderType, &d.Supervised,
			&imported, &updated, &d.SourceFile, &tid}
		tk, err := scanTicket(prefixScanner{sc, dest})
		d.Ticket = tk
		d.DispatchedAt, d.ImportedAt, d.UpdatedAt = parseTime(dispatched), parseTime(imported), parseTime(updated)
		return d, err
	}, `SELECT `+prefixed("o.", workOrderCols)+`, t.* FROM work_orders o
		JOIN (SELECT id AS tid, `+ticketCols+` FROM tickets) t ON t.tid = o.ticket_id
		WHERE o.dispatched_at >= ? AND o.dispatched_at < ? ORDER BY o.dispatched_at, o.number`, fmtTime(from), fmtTime(before))
}

// prefixScanner scans a row whose first columns go to dest and the rest to
// the scanner's caller, so that a join reuses scanTicket.
type prefixScanner struct {
	sc   scanner
	dest []any
}

func (p prefixScanner) Scan(rest ...any) error { return p.sc.Scan(append(p.dest, rest...)...) }
