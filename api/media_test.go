package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hotline/assets"
	"hotline/roster"
	"hotline/storage"
)

// fakeFiles is Telegram's side of the proxy: files by id, and ids that
// fail, hang, are too big or say they are one thing and are another.
type fakeFiles struct {
	files  map[string][]byte
	sizeOf map[string]int64 // the size Telegram says, when not len(file); -1: it says none
	opened []string
}

func (f *fakeFiles) Open(ctx context.Context, fileID string) (io.ReadCloser, int64, string, error) {
	f.opened = append(f.opened, fileID)
	switch fileID {
	case "fail":
		return nil, 0, "", errors.New("get file: Bad Request: invalid file_id")
	case "hang":
		<-ctx.Done()
		return nil, 0, "", ctx.Err()
	}
	data, ok := f.files[fileID]
	if !ok {
		return nil, 0, "", fmt.Errorf("no file %s", fileID)
	}
	size := int64(len(data))
	if s, ok := f.sizeOf[fileID]; ok {
		size = max(s, 0)
	}
	return io.NopCloser(bytes.NewReader(data)), size, "photos/file_1.jpg", nil
}

// mediaWorld is the API fixture serving files from fakeFiles, with a 4 KB
// limit and a short timeout (long enough for a loaded machine to serve
// the good files), and these media: on zroad a photo, a voice message and
// a place; on lroad a photo; on a report linked to zroad a photo; and
// files that fail, hang, are too big or are a web page.
type mediaWorld struct {
	*fixture
	files  *fakeFiles
	ids    map[string]int64 // name → media id
	linked string           // the number of the report linked to zroad
}

func newMediaWorld(t *testing.T) *mediaWorld {
	t.Helper()
	f := newFixture(t)
	var img bytes.Buffer
	if err := jpeg.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	ogg := append([]byte("OggS\x00\x02"), make([]byte, 40)...)
	w := &mediaWorld{fixture: f, ids: map[string]int64{}, files: &fakeFiles{
		files: map[string][]byte{"photo": img.Bytes(), "voice": ogg, "lphoto": img.Bytes(), "linked": img.Bytes(),
			"big": bytes.Repeat([]byte{0xFF, 0xD8, 0xFF}, 2000), "quiet-big": append(img.Bytes(), make([]byte, 5000)...),
			"page": []byte("<html><script>alert(1)</script></html>")},
		sizeOf: map[string]int64{"quiet-big": -1},
	}}
	ctx := context.Background()
	err := f.db.Update(ctx, func(tx *storage.Tx) error {
		zroad, err := tx.TicketByNumber(ctx, f.numbers["zroad"])
		if err != nil {
			return err
		}
		lroad, err := tx.TicketByNumber(ctx, f.numbers["lroad"])
		if err != nil {
			return err
		}
		follower := storage.Ticket{Text: "路灯坏了", Category: zroad.Category, Urgency: zroad.Urgency, Village: zroad.Village, Area: zroad.Area,
			State: "linked", LinkedTo: zroad.ID, HandlerID: zroad.HandlerID, HandlerName: zroad.HandlerName, HandlerRole: zroad.HandlerRole,
			CreatedAt: f.now, AcceptBy: zroad.AcceptBy, ResolveBy: zroad.ResolveBy, RequesterName: "李奶奶", RequesterPhone: "13900001234"}
		if err := tx.InsertTicket(ctx, &follower); err != nil {
			return err
		}
		w.linked = follower.Number
		for _, m := range []struct {
			name string
			on   storage.TicketID
			kind storage.MediaKind
		}{
			{"photo", zroad.ID, storage.MediaPhoto}, {"voice", zroad.ID, storage.MediaVoice}, {"place", zroad.ID, storage.MediaLocation},
			{"lphoto", lroad.ID, storage.MediaPhoto}, {"linked", follower.ID, storage.MediaPhoto},
			{"fail", zroad.ID, storage.MediaPhoto}, {"hang", zroad.ID, storage.MediaPhoto}, {"big", zroad.ID, storage.MediaPhoto},
			{"quiet-big", zroad.ID, storage.MediaPhoto}, {"page", zroad.ID, storage.MediaPhoto},
		} {
			item := storage.Media{TicketID: m.on, Kind: m.kind, FileID: m.name, ChatID: resident, MessageID: 1, AddedAt: f.now}
			if m.kind == storage.MediaVoice {
				item.Duration = 7
			}
			if m.kind == storage.MediaLocation {
				item.FileID, item.Place, item.Title, item.Address = "", storage.Place{Lat: 39.80123, Lon: 116.81234}, "村委会", "翟各庄村东街1号"
			}
			if err := tx.AddTicketMedia(ctx, &item); err != nil {
				return err
			}
			w.ids[m.name] = item.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return f.now }
	f.srv.Close()
	f.srv = httptest.NewServer(New(Config{DB: f.db, Assets: assets.Fixed{A: f.a}, Tickets: f.svc, SignIn: f.sign, Now: clock,
		Log: slog.New(slog.DiscardHandler), Files: w.files, MaxMedia: 4096, MediaTimeout: 250 * time.Millisecond}))
	t.Cleanup(f.srv.Close)
	return w
}

// get fetches a media item under ticket name as who (0: nobody), with
// the body when it is a file.
func (w *mediaWorld) get(t *testing.T, number string, id any, who roster.StaffID) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/tickets/%s/media/%v", w.srv.URL, number, id), nil)
	if who != 0 {
		req.Header.Set("Authorization", "Bearer "+w.tokens[who])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// Every role gets the photo of a ticket it may see, and 404 for one it
// may not; a credential that names nobody in the roster is 401.
func TestMediaByRole(t *testing.T) {
	w := newMediaWorld(t)
	zroad := w.numbers["zroad"]
	for _, c := range []struct {
		who  roster.StaffID
		want int
	}{
		{center, 200}, {admin, 200}, {cadre, 200}, {leader, 200},
		{otherCadre, 404}, // another village's cadre
		{water, 404},      // a department, roads are not its category
		{gone, 401},       // not in the roster (a resident has no token either)
		{0, 401},          // no credential
	} {
		resp, body := w.get(t, zroad, w.ids["photo"], c.who)
		if resp.StatusCode != c.want {
			t.Errorf("staff %d: %d %s, want %d", c.who, resp.StatusCode, body, c.want)
			continue
		}
		if c.want != 200 {
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || !bytes.Contains(body, []byte(`"error"`)) {
				t.Errorf("staff %d: refusal %q %s", c.who, ct, body)
			}
			continue
		}
		h := resp.Header
		if h.Get("Content-Type") != "image/jpeg" || h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Cache-Control"), "private") ||
			!bytes.Equal(body, w.files.files["photo"]) {
			t.Errorf("staff %d: %v, %d bytes", c.who, h, len(body))
		}
	}
	req, _ := http.NewRequest(http.MethodGet, w.srv.URL+"/api/v1/tickets/"+zroad+"/media/1", nil)
	req.Header.Set("Authorization", "Bearer not-a-token")
	if code, _ := do(t, req); code != 401 {
		t.Errorf("unknown token: %d", code)
	}
	// The department sees its own category's ticket; no file of it here.
	if resp, _ := w.get(t, w.numbers["zwater"], w.ids["photo"], water); resp.StatusCode != 404 {
		t.Errorf("water on its ticket with another's media id: %d", resp.StatusCode)
	}
}

// An item is served only under its own ticket or the ticket its report is
// linked to; a place is no file; the voice message is audio/ogg.
func TestMediaOfWhichTicket(t *testing.T) {
	w := newMediaWorld(t)
	zroad, lroad := w.numbers["zroad"], w.numbers["lroad"]
	for _, c := range []struct {
		name, number string
		id           any
		want         int
		ct           string
	}{
		{"own photo", zroad, w.ids["photo"], 200, "image/jpeg"},
		{"own voice", zroad, w.ids["voice"], 200, "audio/ogg"},
		{"a linked report's photo", zroad, w.ids["linked"], 200, "image/jpeg"},
		{"the linked report's own", w.linked, w.ids["linked"], 200, "image/jpeg"},
		{"the primary's photo under the linked report", w.linked, w.ids["photo"], 404, ""},
		{"another ticket's photo", zroad, w.ids["lphoto"], 404, ""},
		{"the photo under another ticket", lroad, w.ids["photo"], 404, ""},
		{"a place", zroad, w.ids["place"], 404, ""},
		{"no such item", zroad, 999999, 404, ""},
		{"not a number", zroad, "abc", 404, ""},
		{"no such ticket", "2026-999999", w.ids["photo"], 404, ""},
	} {
		resp, body := w.get(t, c.number, c.id, center)
		if resp.StatusCode != c.want || (c.ct != "" && resp.Header.Get("Content-Type") != c.ct) {
			t.Errorf("%s: %d %q %.80s", c.name, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

// Telegram failing, not answering in time, a file over the limit (said
// or found) and one that is not a picture are 502 with a JSON error,
// never a hang.
func TestMediaWhenTelegramFails(t *testing.T) {
	w := newMediaWorld(t)
	zroad := w.numbers["zroad"]
	for _, c := range []struct {
		file, says string
	}{
		{"fail", "invalid file_id"},
		{"hang", "did not answer in time"},
		{"big", "over the 4096 bytes"},
		{"quiet-big", "over the 4096 bytes"}, // Telegram did not say its size
		{"page", "not shown"},
	} {
		resp, body := w.get(t, zroad, w.ids[c.file], center)
		if resp.StatusCode != http.StatusBadGateway || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
			!bytes.Contains(body, []byte(c.says)) {
			t.Errorf("%s: %d %s", c.file, resp.StatusCode, body)
		}
	}
}

// One ticket's JSON lists its media and its linked reports', each with
// the report it came with; a file has the proxy's URL, a place its
// coordinates and name.
func TestTicketListsMedia(t *testing.T) {
	w := newMediaWorld(t)
	zroad := w.numbers["zroad"]
	code, out := w.call(t, http.MethodGet, "/api/v1/tickets/"+zroad, cadre, nil)
	if code != 200 {
		t.Fatalf("GET: %d %v", code, out)
	}
	media, _ := out["media"].([]any)
	byID := map[float64]map[string]any{}
	for _, m := range media {
		item := m.(map[string]any)
		byID[item["id"].(float64)] = item
	}
	if len(media) != 9 { // zroad's eight and the linked report's photo; not lroad's
		t.Fatalf("media = %v", media)
	}
	photo, voice, place, linked := byID[float64(w.ids["photo"])], byID[float64(w.ids["voice"])], byID[float64(w.ids["place"])], byID[float64(w.ids["linked"])]
	url := func(name string) string { return fmt.Sprintf("/api/v1/tickets/%s/media/%d", zroad, w.ids[name]) }
	switch {
	case photo["kind"] != "photo" || photo["url"] != url("photo") || photo["ticket"] != zroad || photo["at"] == nil:
		t.Errorf("photo = %v", photo)
	case voice["kind"] != "voice" || voice["url"] != url("voice") || voice["duration"] != 7.0:
		t.Errorf("voice = %v", voice)
	case place["kind"] != "location" || place["url"] != nil || place["lat"] != 39.80123 || place["lon"] != 116.81234 ||
		place["title"] != "村委会" || place["address"] != "翟各庄村东街1号":
		t.Errorf("place = %v", place)
	case linked["ticket"] != w.linked || linked["url"] != url("linked"):
		t.Errorf("linked report's photo = %v", linked)
	}
	// The list of tickets does not carry media; nothing was fetched.
	if _, list := w.call(t, http.MethodGet, "/api/v1/tickets", center, nil); strings.Contains(fmt.Sprint(list), "media") {
		t.Errorf("the list carries media: %v", list)
	}
	if len(w.files.opened) != 0 {
		t.Errorf("listing fetched %v", w.files.opened)
	}
}

// A player may ask for part of a file (a browser reads an Ogg file's
// length from its end).
func TestMediaRange(t *testing.T) {
	w := newMediaWorld(t)
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/tickets/%s/media/%d", w.srv.URL, w.numbers["zroad"], w.ids["voice"]), nil)
	req.Header.Set("Authorization", "Bearer "+w.tokens[center])
	req.Header.Set("Range", "bytes=4-9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Type") != "audio/ogg" ||
		!bytes.Equal(body, w.files.files["voice"][4:10]) {
		t.Errorf("range: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// A file is kept by the browser under its tag; asked again with the tag,
// the answer is 304 without going to Telegram, after the rights are
// checked again. A failure is never marked to be kept.
func TestMediaCaching(t *testing.T) {
	w := newMediaWorld(t)
	photo := w.ids["photo"]
	resp, _ := w.get(t, w.numbers["zroad"], photo, center)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || etag == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "private") {
		t.Fatalf("first get: %d, ETag %q, Cache-Control %q", resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
	}
	opened := len(w.files.opened)
	ask := func(who roster.StaffID, inm string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/tickets/%s/media/%d", w.srv.URL, w.numbers["zroad"], photo), nil)
		req.Header.Set("Authorization", "Bearer "+w.tokens[who])
		req.Header.Set("If-None-Match", inm)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r
	}
	for _, c := range []struct {
		name string
		who  roster.StaffID
		inm  string
		want int
	}{
		{"same tag", center, etag, http.StatusNotModified},
		{"weak, in a list", center, `"x", W/` + etag, http.StatusNotModified},
		{"another tag", center, `"media-999"`, http.StatusOK},
		{"someone who may not see it", otherCadre, etag, http.StatusNotFound},
	} {
		if r := ask(c.who, c.inm); r.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.name, r.StatusCode, c.want)
		}
	}
	if got := len(w.files.opened) - opened; got != 1 {
		t.Errorf("Telegram was asked %d times, want once (only for the other tag)", got)
	}
	if resp, _ := w.get(t, w.numbers["zroad"], w.ids["fail"], center); resp.StatusCode == http.StatusOK || resp.Header.Get("ETag") != "" ||
		strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Errorf("a failure: %d, ETag %q, Cache-Control %q", resp.StatusCode, resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
	}
}
