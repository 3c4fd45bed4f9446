package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"hotline/taxonomy"
)

func TestWorkOrders(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		tk := Ticket{Text: "路灯坏了", Category: "roads", Urgency: "normal", State: "assigned", Source: taxonomy.Hotline,
			ExternalID: "GD1", CreatedAt: t0, AcceptBy: t0, ResolveBy: t0}
		if err := tx.InsertTicket(ctx, &tk); err != nil {
			return err
		}
		if _, err := tx.WorkOrder(ctx, "GD1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing order: %v", err)
		}
		o := WorkOrder{Number: "GD1", TicketID: tk.ID, Fields: `{"number":"GD1"}`, Fingerprint: "a", DispatchedAt: t0,
			OrderType: "求助", ImportedAt: t0, UpdatedAt: t0, SourceFile: "a.csv"}
		if err := tx.PutWorkOrder(ctx, o); err != nil {
			return err
		}
		o.Fingerprint, o.Supervised, o.UpdatedAt, o.ImportedAt = "b", true, t0.Add(time.Hour), t0.Add(time.Hour)
		if err := tx.PutWorkOrder(ctx, o); err != nil {
			return err
		}
		got, err := tx.WorkOrder(ctx, "GD1")
		if err != nil || got.Fingerprint != "b" || !got.Supervised || !got.ImportedAt.Equal(t0) || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("order = %+v %v", got, err)
		}
		list, err := tx.WorkOrdersDispatched(ctx, t0, t0.Add(time.Minute))
		if err != nil || len(list) != 1 || list[0].Ticket.ID != tk.ID || list[0].Ticket.ExternalID != "GD1" || list[0].Number != "GD1" {
			t.Errorf("dispatched = %+v %v", list, err)
		}
		if list, _ := tx.WorkOrdersDispatched(ctx, t0.Add(time.Minute), t0.Add(time.Hour)); len(list) != 0 {
			t.Errorf("outside the range: %d", len(list))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
