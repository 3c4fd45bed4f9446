package desk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"hotline/storage"
)

// files is Telegram's side of the desk's media proxy in these tests.
type files map[string][]byte

func (f files) Open(_ context.Context, id string) (io.ReadCloser, int64, string, error) {
	data, ok := f[id]
	if !ok {
		return nil, 0, "", errors.New("get file: Bad Request: invalid file_id")
	}
	return io.NopCloser(bytes.NewReader(data)), int64(len(data)), "photos/file_1.jpg", nil
}

// withMedia gives zroad a photo, a voice message and a place, a report
// linked to zroad (from 李奶奶, who has no chat) a photo, and zroad a
// photo Telegram no longer has; the desk serves files from fs. It returns
// the media ids by name and the linked report's number.
func (f *fixture) withMedia(fs files) (map[string]int64, string) {
	f.t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	var linked string
	err := f.db.Update(ctx, func(tx *storage.Tx) error {
		z, err := tx.TicketByNumber(ctx, f.numbers["zroad"])
		if err != nil {
			return err
		}
		follower := storage.Ticket{Text: "路灯坏了", Category: z.Category, Urgency: z.Urgency, Village: z.Village, Area: z.Area,
			State: "linked", LinkedTo: z.ID, HandlerID: z.HandlerID, HandlerName: z.HandlerName, HandlerRole: z.HandlerRole,
			CreatedAt: f.now, AcceptBy: z.AcceptBy, ResolveBy: z.ResolveBy, RequesterName: "李奶奶", RequesterPhone: "13900001234"}
		if err := tx.InsertTicket(ctx, &follower); err != nil {
			return err
		}
		linked = follower.Number
		for _, m := range []storage.Media{
			{TicketID: z.ID, Kind: storage.MediaPhoto, FileID: "photo"},
			{TicketID: z.ID, Kind: storage.MediaVoice, FileID: "voice", Duration: 5},
			{TicketID: z.ID, Kind: storage.MediaLocation, Place: storage.Place{Lat: 39.80123, Lon: 116.81234}, Title: "村委会 <b>", Address: "东街1号"},
			{TicketID: follower.ID, Kind: storage.MediaPhoto, FileID: "linked"},
			{TicketID: z.ID, Kind: storage.MediaPhoto, FileID: "gone"},
		} {
			m.ChatID, m.MessageID, m.AddedAt = resident, 1, f.now
			if err := tx.AddTicketMedia(ctx, &m); err != nil {
				return err
			}
			ids[m.FileID+string(m.Kind)] = m.ID
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	cfg := f.desk.cfg
	cfg.Files = fs
	cfg.Log = slog.New(slog.DiscardHandler)
	if f.desk, err = New(cfg); err != nil {
		f.t.Fatal(err)
	}
	f.srv.Close()
	f.srv = httptest.NewServer(f.desk)
	f.t.Cleanup(f.srv.Close)
	return ids, linked
}

// The ticket page shows the photo, the voice player and the place of the
// ticket, and a linked report's photo under its requester (phone
// masked); every file comes through the desk's proxy.
func TestTicketPageShowsMedia(t *testing.T) {
	f := newFixture(t)
	ids, linked := f.withMedia(files{})
	z := f.numbers["zroad"]
	code, body := f.signIn(center).get("/desk/tickets/" + z)
	url := func(name string) string { return fmt.Sprintf("/desk/tickets/%s/media/%d", z, ids[name]) }
	for _, want := range []string{
		`<a href="` + url("photophoto") + `" target="_blank" title="查看原图"><img src="` + url("photophoto") + `"`,
		`<audio controls preload="metadata" src="` + url("voicevoice") + `"></audio>`,
		`<b class="place">39.80123, 116.81234</b>`, "村委会 &lt;b&gt;", "东街1号",
		`href="https://uri.amap.com/marker?position=116.812340,39.801230&amp;coordinate=wgs84&amp;callnative=1"`,
		`同一问题的反映人 李奶奶 139****1234 · 工单 <a href="/desk/tickets/` + linked + `">`, `<img src="` + url("linkedphoto") + `"`,
		"%（内置模型）", // who classified it, in Chinese
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if code != 200 || strings.Contains(body, "13900001234") || strings.Contains(body, "照片在 Telegram 聊天里") {
		t.Errorf("page %d shows a whole phone or the old photo note:\n%s", code, body)
	}
	// A ticket from before photos were kept still says a photo came.
	if _, body := f.signIn(center).get("/desk/tickets/" + f.numbers["zwater"]); !strings.Contains(body, "照片在 Telegram 聊天里") ||
		strings.Contains(body, `id="media"`) {
		t.Errorf("zwater:\n%s", body)
	}
}

// The desk's proxy: the session's rights decide (404 outside them), the
// file's type is from its bytes, and Telegram failing is a page saying
// so with 502; the desk's pages load images and sound from itself only.
func TestDeskMediaProxy(t *testing.T) {
	jpegBytes := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 60)...)
	ogg := append([]byte("OggS\x00\x02"), make([]byte, 60)...)
	f := newFixture(t)
	ids, _ := f.withMedia(files{"photo": jpegBytes, "voice": ogg, "linked": jpegBytes})
	z := f.numbers["zroad"]
	url := func(name string) string { return fmt.Sprintf("/desk/tickets/%s/media/%d", z, ids[name]) }
	centre, other := f.signIn(center), f.signIn(otherCadre)
	for _, c := range []struct {
		b          *browser
		name, path string
		code       int
		ct, says   string
	}{
		{centre, "photo", url("photophoto"), 200, "image/jpeg", ""},
		{centre, "voice", url("voicevoice"), 200, "audio/ogg", ""},
		{centre, "linked report's photo", url("linkedphoto"), 200, "image/jpeg", ""},
		{centre, "place", url("location"), 404, "text/html; charset=utf-8", "没有找到"},
		{centre, "gone from Telegram", url("gonephoto"), 502, "text/html; charset=utf-8", "暂时无法从 Telegram 取得"},
		{centre, "under another ticket", fmt.Sprintf("/desk/tickets/%s/media/%d", f.numbers["lroad"], ids["photophoto"]), 404, "text/html; charset=utf-8", "没有找到"},
		{other, "another village's cadre", url("photophoto"), 404, "text/html; charset=utf-8", "没有找到"},
		{f.browser(), "signed out", url("photophoto"), 401, "text/html; charset=utf-8", "请先登录"},
	} {
		resp, err := c.b.c.Get(f.srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code || resp.Header.Get("Content-Type") != c.ct || !strings.Contains(string(body), c.says) {
			t.Errorf("%s: %d %q %.200s", c.name, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "img-src 'self';") || !strings.Contains(csp, "media-src 'self';") || strings.Contains(csp, "data:") {
			t.Errorf("%s: CSP %q", c.name, csp)
		}
		if c.code == 200 && (resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "private")) {
			t.Errorf("%s: headers %v", c.name, resp.Header)
		}
	}
}
