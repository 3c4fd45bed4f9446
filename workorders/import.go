package workorders

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/storage"
	"hotline/taxonomy"
	"hotline/tickets"
)

// Result counts what an import did.
type Result struct {
	New, Updated, Unchanged int
}

// Importer brings orders in through the lifecycle, in one transaction:
// all of a file or nothing.
type Importer struct {
	DB      *storage.DB
	Tickets *tickets.Service
	Log     *slog.Logger
}

// Import opens a ticket for each new order, updates the ticket of an
// order whose export changed (recording what changed), and leaves an order
// imported before with the same content alone: importing a file twice
// changes nothing. Orders are classified before the transaction.
func (im Importer) Import(ctx context.Context, a *assets.Assets, orders []Order, file string) (Result, error) {
	classified := make([]intents.Result, len(orders))
	for i, o := range orders {
		classified[i] = im.classify(ctx, a, o)
	}
	var res Result
	err := im.DB.Update(ctx, func(tx *storage.Tx) error {
		res = Result{}
		for i, o := range orders {
			if err := im.one(ctx, tx, a, o, classified[i], file, &res); err != nil {
				return fmt.Errorf("%s: %w", o.Pos, err)
			}
		}
		return nil
	})
	return res, err
}

func (im Importer) one(ctx context.Context, tx *storage.Tx, a *assets.Assets, o Order, intent intents.Result, file string, res *Result) error {
	fields, fp, err := fingerprint(o)
	if err != nil {
		return err
	}
	now := im.Tickets.Now()
	row := storage.WorkOrder{Number: o.Number, Fields: fields, Fingerprint: fp, DispatchedAt: o.Start(),
		OrderType: o.Type, Supervised: o.Supervised, ImportedAt: now, UpdatedAt: now, SourceFile: file}
	old, err := tx.WorkOrder(ctx, o.Number)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		t, err := im.Tickets.Open(ctx, tx, a, tickets.OpenInput{
			Text: o.Text(), Intent: intent, Source: taxonomy.Hotline, ExternalID: o.Number,
			RequesterName: o.Requester, RequesterPhone: o.Phone, ResolveBy: o.ResolveBy,
		})
		if err != nil {
			return err
		}
		if o.Supervised {
			if err := im.Tickets.Supervised(ctx, tx, t); err != nil {
				return err
			}
		}
		row.TicketID = t.ID
		res.New++
		return tx.PutWorkOrder(ctx, row)
	case err != nil:
		return err
	case old.Fingerprint == fp:
		res.Unchanged++
		return nil
	}
	var before Order
	if err := json.Unmarshal([]byte(old.Fields), &before); err != nil {
		return fmt.Errorf("work order %s as stored: %w", o.Number, err)
	}
	u := update(before, o)
	if _, err := im.Tickets.UpdateOrder(ctx, tx, a, old.TicketID, u); err != nil {
		return err
	}
	row.TicketID, row.ImportedAt = old.TicketID, old.ImportedAt
	res.Updated++
	return tx.PutWorkOrder(ctx, row)
}

// classify finds the order's category: from 问题分类 when it maps to the
// taxonomy, else from the classifier over its title and content. The
// village is the order's, whatever the words say.
func (im Importer) classify(ctx context.Context, a *assets.Assets, o Order) intents.Result {
	res := intents.Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Source: intents.SourceFallback}
	if a.Classifier != nil {
		got, err := a.Classifier.Classify(ctx, intents.Input{Text: o.Text(), ResidentVillage: o.Village})
		if err == nil {
			res = got
		} else {
			im.Log.Warn("classifier failed on a 12345 order; the centre will triage", "order", o.Number, "err", err)
		}
	}
	res.Village = o.Village
	if o.Category != "" {
		res.Category, res.Confidence, res.Source = o.Category, 1, intents.Source12345
	}
	return res
}

// fingerprint is an order's columns as stored and their hash.
func fingerprint(o Order) (string, string, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return "", "", fmt.Errorf("encode work order %s: %w", o.Number, err)
	}
	sum := sha256.Sum256(b)
	return string(b), hex.EncodeToString(sum[:]), nil
}

// update is what a re-export changes: every column that differs, named as
// the platform names it, and the ticket fields that follow the order.
func update(before, after Order) tickets.OrderUpdate {
	var u tickets.OrderUpdate
	was, is := asMap(before), asMap(after)
	keys := make([]string, 0, len(is))
	for k := range mergeKeys(was, is) {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if was[k] == is[k] {
			continue
		}
		c := tickets.OrderChange{Field: columnName(k), From: was[k], To: is[k]}
		if k == "phone" {
			// The history is shown to whoever sees the ticket: a phone
			// number in it is masked like everywhere else.
			c.From, c.To = notice.MaskPhone(c.From), notice.MaskPhone(c.To)
		}
		u.Changes = append(u.Changes, c)
	}
	if before.Text() != after.Text() {
		u.Text = after.Text()
	}
	if before.Requester != after.Requester {
		u.RequesterName = after.Requester
	}
	if before.Phone != after.Phone {
		u.RequesterPhone = after.Phone
	}
	if before.DeadlineCell != after.DeadlineCell || !before.Start().Equal(after.Start()) {
		u.ResolveBy = after.ResolveBy
	}
	u.Supervised = after.Supervised && !before.Supervised
	return u
}

func asMap(o Order) map[string]string {
	b, _ := json.Marshal(o)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	out := map[string]string{}
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out
}

func mergeKeys(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// jsonFields maps Order's JSON keys to Columns' fields where they differ.
var jsonFields = map[string]string{"village_cell": "village", "deadline": "deadline"}

// columnName is the platform's usual name of an Order JSON key.
func columnName(key string) string {
	field := key
	if f, ok := jsonFields[key]; ok {
		field = f
	}
	for _, c := range Columns {
		if c.Field == field {
			return c.Names[0]
		}
	}
	return key
}
