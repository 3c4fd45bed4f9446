package storage

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/text/width"
)

// Full-text search over what residents wrote.
//
// FTS5 is behind a build tag in go-sqlite3 that `go test ./...` on a fresh
// machine would not set; FTS3/FTS4 are compiled in by default. Neither
// splits Chinese into words, so each text is indexed as overlapping
// character bigrams within runs of letters and digits, each run ending
// with its last character alone: "路灯坏了" → "路灯 灯坏 坏了 了". A query
// of two or more characters becomes the phrase of its bigrams, which
// matches exactly the texts that contain it; a single character becomes a
// prefix query, which finds it followed by anything or at a run's end.
// Case and full-width forms are folded on both sides.
//
// The index is filled beside intake rather than in its transaction (an
// FTS write per message would cost intake a segment write on every commit):
// IndexSearch indexes the tickets after the watermark in batches, and a
// search tests the few tickets not yet indexed with the same rule in Go,
// so it never misses one.

// searchRuns splits s into folded runs of letters and digits.
func searchRuns(s string) [][]rune {
	s = strings.ToLower(width.Fold.String(s))
	var runs [][]rune
	var cur []rune
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// bigramDoc is the document the index stores for text.
func bigramDoc(text string) string {
	var b strings.Builder
	for _, run := range searchRuns(text) {
		for i := range run {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(string(run[i:min(i+2, len(run))]))
		}
	}
	return b.String()
}

// matchExpr is the FTS MATCH expression for a query: every run must occur.
// ok is false when the query has nothing to search for.
func matchExpr(query string) (expr string, ok bool) {
	var parts []string
	for _, run := range searchRuns(query) {
		if len(run) == 1 {
			parts = append(parts, string(run)+"*")
			continue
		}
		grams := make([]string, 0, len(run)-1)
		for i := 0; i+1 < len(run); i++ {
			grams = append(grams, string(run[i:i+2]))
		}
		parts = append(parts, `"`+strings.Join(grams, " ")+`"`)
	}
	return strings.Join(parts, " "), len(parts) > 0
}

// searchCond is the condition on tickets for a text query: indexed tickets
// through the index, the rest (after the watermark) through search_match,
// the same rule in Go. A query with no letters or digits matches nothing.
func searchCond(query string) (string, []any) {
	expr, ok := matchExpr(query)
	if !ok {
		return "0", nil
	}
	return `id IN (SELECT docid FROM ticket_search WHERE ticket_search MATCH ?
		UNION ALL SELECT id FROM tickets WHERE id > (SELECT indexed FROM search_state) AND search_match(text, ?))`, []any{expr, query}
}

// searchMatch reports whether every run of query occurs inside one run of
// text: what the index answers, for the tickets not yet in it.
func searchMatch(text, query string) bool {
	runs := searchRuns(text)
	for _, q := range searchRuns(query) {
		found := false
		for _, r := range runs {
			if strings.Contains(string(r), string(q)) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// registerFuncs adds the hotline's SQL functions to a new connection.
func registerFuncs(c *sqlite3.SQLiteConn) error {
	return c.RegisterFunc("search_match", searchMatch, true)
}

// IndexSearch adds up to batch tickets not yet in the search index, oldest
// first, and reports how many it added; 0 means the index is complete.
func (db *DB) IndexSearch(ctx context.Context, batch int) (int, error) {
	// Look on the read pool first: most seconds bring no ticket, and the
	// single writer is not taken for nothing.
	var behind bool
	if err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tickets
		WHERE id > (SELECT indexed FROM search_state))`).Scan(&behind); err != nil {
		return 0, fmt.Errorf("read search watermark: %w", err)
	}
	if !behind {
		return 0, nil
	}
	var n int
	err := db.Update(ctx, func(tx *Tx) error {
		var done int64
		if err := tx.tx.QueryRowContext(ctx, `SELECT indexed FROM search_state`).Scan(&done); err != nil {
			return fmt.Errorf("read search watermark: %w", err)
		}
		type doc struct {
			id   int64
			text string
		}
		docs, err := queryAll(ctx, tx.tx, "read tickets to index", func(sc scanner) (doc, error) {
			var d doc
			return d, sc.Scan(&d.id, &d.text)
		}, `SELECT id, text FROM tickets WHERE id > ? ORDER BY id LIMIT ?`, done, batch)
		if err != nil || len(docs) == 0 {
			return err
		}
		for _, d := range docs {
			if _, err := tx.exec(ctx, `INSERT INTO ticket_search (docid, bigrams) VALUES (?, ?)`, d.id, bigramDoc(d.text)); err != nil {
				return fmt.Errorf("index ticket %d: %w", d.id, err)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE search_state SET indexed = ?`, docs[len(docs)-1].id); err != nil {
			return fmt.Errorf("advance search watermark: %w", err)
		}
		n = len(docs)
		return nil
	})
	return n, err
}

// searchNewest lists, newest first, the tickets q selects that contain
// q.Text, for a search over the history: the few not yet indexed are
// tested one by one, then the index is walked in its own (ticket id)
// order, each match checked against q's filters, until the page is full.
// A common word matches tens of thousands of tickets; this reads only as
// many as the page needs.
func (t *Tx) searchNewest(ctx context.Context, q TicketQuery) ([]Ticket, error) {
	expr, ok := matchExpr(q.Text)
	if !ok {
		return nil, nil
	}
	var indexed int64
	if err := t.tx.QueryRowContext(ctx, `SELECT indexed FROM search_state`).Scan(&indexed); err != nil {
		return nil, fmt.Errorf("read search watermark: %w", err)
	}
	cond, args := q.where()
	if q.After.ID != 0 {
		cond, args = cond+" AND id < ?", append(args, q.After.ID)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	tail, err := queryAll(ctx, t.tx, "search recent tickets", scanTicket, `SELECT `+ticketCols+` FROM tickets
		WHERE id > ? AND search_match(text, ?) AND `+cond+` ORDER BY id DESC LIMIT ?`,
		append(append([]any{indexed, q.Text}, args...), limit)...)
	if err != nil || (limit > 0 && len(tail) >= limit) {
		return tail, err
	}
	if limit > 0 {
		limit -= len(tail)
	}
	// CROSS JOIN keeps the search index the outer loop, read newest first.
	older, err := queryAll(ctx, t.tx, "search tickets", scanTicket, `SELECT `+ticketCols+`
		FROM ticket_search CROSS JOIN tickets ON tickets.id = ticket_search.docid
		WHERE ticket_search MATCH ? AND ticket_search.docid <= ? AND `+cond+` ORDER BY ticket_search.docid DESC LIMIT ?`,
		append(append([]any{expr, indexed}, args...), limit)...)
	return append(tail, older...), err
}
