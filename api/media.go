package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

// A ticket's photos, voice messages and places, and the proxy that serves
// the first two from Telegram: the browser never sees a Telegram address
// (it holds the bot's token) and gets only types it can show, checked on
// the bytes themselves.

// Files fetches a file a resident sent by its Telegram file id: its body,
// its size when known (else 0), and its name in Telegram's storage.
// *bot.Files is one.
type Files interface {
	Open(ctx context.Context, fileID string) (body io.ReadCloser, size int64, name string, err error)
}

// Defaults of the proxy.
const (
	DefaultMaxMedia     = 20 << 20 // what the Bot API lets a bot download
	DefaultMediaTimeout = 30 * time.Second
)

// ErrUpstream is a file Telegram did not give: it failed, did not answer
// in time, sent too much or something the desk does not show.
var ErrUpstream = errors.New("could not fetch the file from Telegram")

func (c Config) maxMedia() int64 {
	if c.MaxMedia > 0 {
		return c.MaxMedia
	}
	return DefaultMaxMedia
}

func (c Config) mediaTimeout() time.Duration {
	if c.MediaTimeout > 0 {
		return c.MediaTimeout
	}
	return DefaultMediaTimeout
}

// MediaItem is a photo, voice message or place of a problem, with the
// report it came with: the ticket shown or one linked to it.
type MediaItem struct {
	storage.Media
	From storage.Ticket
}

// ProblemMedia lists what came with ticket t and with the reports linked
// to it, in the order it came. The caller has checked that t is visible.
func ProblemMedia(ctx context.Context, tx *storage.Tx, t storage.Ticket) ([]MediaItem, error) {
	ms, err := tx.ProblemMedia(ctx, t.ID)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	linked, err := tx.LinkedTickets(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	from := map[storage.TicketID]storage.Ticket{t.ID: t}
	for _, l := range linked {
		from[l.ID] = l
	}
	out := make([]MediaItem, 0, len(ms))
	for _, m := range ms {
		f, ok := from[m.TicketID]
		if !ok { // linked a moment ago, after the list was read
			continue
		}
		out = append(out, MediaItem{Media: m, From: f})
	}
	return out, nil
}

// Media is a media item in a ticket's JSON. A photo or voice message has
// the URL of the proxy; a place has its coordinates (WGS-84) and, when
// Telegram gave them, its name and address.
type Media struct {
	ID       int64             `json:"id"`
	Kind     storage.MediaKind `json:"kind"` // photo, voice, location
	At       time.Time         `json:"at"`
	Ticket   string            `json:"ticket"` // the report it came with: this ticket or one linked to it
	URL      string            `json:"url,omitempty"`
	Duration int               `json:"duration,omitempty"` // a voice message's seconds
	Caption  string            `json:"caption,omitempty"`
	Lat      float64           `json:"lat,omitempty"`
	Lon      float64           `json:"lon,omitempty"`
	Title    string            `json:"title,omitempty"`
	Address  string            `json:"address,omitempty"`
}

// MediaOf is the JSON of a problem's media, shown under ticket number,
// with the proxy's URLs under root (/api/v1 or /desk).
func MediaOf(root, number string, items []MediaItem) []Media {
	out := make([]Media, 0, len(items))
	for _, m := range items {
		j := Media{ID: m.ID, Kind: m.Kind, At: m.AddedAt.In(notice.Zone), Ticket: m.From.Number, Duration: m.Duration, Caption: m.Caption}
		if m.Kind == storage.MediaLocation {
			j.Lat, j.Lon, j.Title, j.Address = m.Place.Lat, m.Place.Lon, m.Title, m.Address
		} else {
			j.URL = MediaPath(root, number, m.ID)
		}
		out = append(out, j)
	}
	return out
}

// MediaPath is the proxy's path for media item id of ticket number, under
// root (/api/v1 or /desk).
func MediaPath(root, number string, id int64) string {
	return fmt.Sprintf("%s/tickets/%s/media/%d", root, number, id)
}

// mediaTypes are the types the proxy serves, by what the bytes sniff as
// (http.DetectContentType) and the kind of item: Telegram keeps photos as
// JPEG, voice as Ogg Opus; the rest are what other clients may send.
var mediaTypes = map[storage.MediaKind]map[string]string{
	storage.MediaPhoto: {"image/jpeg": "image/jpeg", "image/png": "image/png", "image/webp": "image/webp"},
	storage.MediaVoice: {"application/ogg": "audio/ogg", "audio/ogg": "audio/ogg", "audio/mpeg": "audio/mpeg",
		"video/mp4": "audio/mp4", "audio/mp4": "audio/mp4"},
}

// ServeMedia answers a request for media item {id} of ticket {number}
// as staff: 404 unless staff may see the ticket (Visible: the rights of
// package tickets) and the item is a photo or voice message of it or of a
// report linked to it; the bytes from Telegram through c.Files, within
// c's timeout and size limit. An error is returned before anything is
// written, for the caller to answer in its own way (JSON or a page).
func (c Config) ServeMedia(w http.ResponseWriter, r *http.Request, staff roster.Staff) error {
	m, err := c.visibleMedia(r.Context(), staff, r.PathValue("number"), r.PathValue("id"))
	if err != nil {
		return err
	}
	// A media item's file never changes, so the browser may keep it, and
	// asks again only with its tag: answered without going to Telegram.
	// Rights were checked above, for this request too.
	// (Set only on a file or a 304: an error must not be kept.)
	etag := fmt.Sprintf(`"media-%d"`, m.ID)
	keep := func(h http.Header) {
		h.Set("ETag", etag)
		h.Set("Cache-Control", "private, max-age=86400, immutable")
	}
	if matchesETag(r.Header.Get("If-None-Match"), etag) {
		keep(w.Header())
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if c.Files == nil {
		return fmt.Errorf("%w: no Bot API connection", ErrUpstream)
	}
	ctx, cancel := context.WithTimeout(r.Context(), c.mediaTimeout())
	defer cancel()
	body, size, _, err := c.Files.Open(ctx, m.FileID)
	if err != nil {
		return upstream(ctx, err)
	}
	defer body.Close()
	// The file is read whole (it is at most the limit) so that a player
	// may ask for ranges of it: a browser reads an Ogg file's length from
	// its last page, and lets one skip through a long message.
	limit := c.maxMedia()
	if size > limit {
		return fmt.Errorf("%w: the file is %d bytes, over the %d bytes shown here", ErrUpstream, size, limit)
	}
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return upstream(ctx, err)
	}
	if int64(len(data)) > limit {
		return fmt.Errorf("%w: the file is over the %d bytes shown here", ErrUpstream, limit)
	}
	sniffed := http.DetectContentType(data)
	ct, ok := mediaTypes[m.Kind][sniffed]
	if !ok {
		return fmt.Errorf("%w: a %s that is %s, which is not shown", ErrUpstream, m.Kind, sniffed)
	}
	h := w.Header()
	keep(h)
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	return nil
}

// matchesETag reports whether an If-None-Match header names etag (weakly,
// as RFC 9110 compares for GET) or is "*".
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// visibleMedia is media item id of ticket number, if staff may see the
// ticket and the item is a file of it or of a report linked to it.
func (c Config) visibleMedia(ctx context.Context, staff roster.Staff, number, id string) (storage.Media, error) {
	mid, err := strconv.ParseInt(id, 10, 64)
	if err != nil || mid <= 0 {
		return storage.Media{}, fmt.Errorf("media %q: %w", id, storage.ErrNotFound)
	}
	var m storage.Media
	err = c.DB.View(ctx, func(tx *storage.Tx) error {
		t, err := Visible(ctx, tx, staff, number)
		if err != nil {
			return err
		}
		if m, err = tx.MediaItem(ctx, mid); err != nil {
			return err
		}
		if m.TicketID == t.ID {
			return nil
		}
		from, err := tx.Ticket(ctx, m.TicketID)
		if err != nil {
			return err
		}
		if from.LinkedTo != t.ID {
			return fmt.Errorf("media %d of ticket %s: %w", mid, number, storage.ErrNotFound)
		}
		return nil
	})
	if err == nil && m.Kind == storage.MediaLocation {
		err = fmt.Errorf("media %d is a place, not a file: %w", mid, storage.ErrNotFound)
	}
	return m, err
}

// upstream is a failed fetch as the caller sees it: a timeout is said as
// one.
func upstream(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: Telegram did not answer in time", ErrUpstream)
	}
	return fmt.Errorf("%w: %v", ErrUpstream, err)
}
