package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hotline/botsim"
)

// What a resident sends besides words reaches the desk, end to end in
// local mode: through the bot and the in-process Bot API into the
// database, and back out of botsim through the desk's media proxy.

// sendMedia has resident id (registered) send a voice message of three
// seconds, then a photo and a place picked from the map's list, which
// join the voice message's ticket; it returns the ticket's number.
func (w *deskWorld) sendMedia(id int64) string {
	w.t.Helper()
	u := w.user(id)
	w.s.sim.SendVoice(u, 3, botsim.SilentVoice(3))
	number := w.number(w.waitFor(id, "已收到您的语音留言"))
	w.s.sim.SendPhoto(u, "")
	w.waitFor(id, "照片已补充到工单")
	w.s.sim.SendVenue(u, 39.80123, 116.81234, "翟各庄村委会", "翟各庄村东街1号")
	w.waitFor(id, "位置已补充到工单")
	return number
}

// deskClient is an HTTP client signed in to the desk as staff member id
// through a /web link.
func (w *deskWorld) deskClient(id int64) *http.Client {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Post(w.webLink(id), "application/x-www-form-urlencoded", nil)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("sign in: %s", resp.Status)
	}
	return c
}

func getAs(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// A resident's voice message and photo are listed on the ticket's page
// and in the API, and the proxy serves the very bytes the resident sent,
// as a picture and as Ogg audio; the village cadre of another village
// gets 404 for them.
func TestDeskShowsWhatTheResidentSent(t *testing.T) {
	w := newDeskWorld(t)
	for _, id := range []int64{deskCadre, deskCadre2, deskCentre} {
		w.say(id, "/start", "您好")
	}
	w.register(deskResident, "东片区", "翟各庄村")
	number := w.sendMedia(deskResident)
	base := strings.TrimSuffix(w.s.URL(), "/")
	centre := w.deskClient(deskCentre)

	resp, page := getAs(t, centre, base+"/desk/tickets/"+number)
	img := regexp.MustCompile(`<img src="(/desk/tickets/` + number + `/media/\d+)"`).FindSubmatch(page)
	audio := regexp.MustCompile(`<audio controls preload="metadata" src="(/desk/tickets/` + number + `/media/\d+)"`).FindSubmatch(page)
	if resp.StatusCode != 200 || img == nil || audio == nil || !bytes.Contains(page, []byte("39.80123, 116.81234")) ||
		!bytes.Contains(page, []byte("翟各庄村委会")) || !bytes.Contains(page, []byte("https://uri.amap.com/marker?position=116.812340,39.801230")) {
		t.Fatalf("ticket page %d:\n%s", resp.StatusCode, page)
	}
	var photo, voice []byte
	for _, u := range w.s.sim.Conversation(deskResident) {
		if u.PhotoFileID != "" {
			photo, _ = w.s.sim.FileData(u.PhotoFileID)
		}
		if u.Voice != nil {
			voice, _ = w.s.sim.FileData(u.Voice.FileID)
		}
	}
	for _, f := range []struct {
		path []byte
		ct   string
		want []byte
	}{{img[1], "image/jpeg", photo}, {audio[1], "audio/ogg", voice}} {
		resp, body := getAs(t, centre, base+string(f.path))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != f.ct || len(f.want) == 0 || !bytes.Equal(body, f.want) {
			t.Errorf("%s: %d %q, %d bytes of %d", f.path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), len(f.want))
		}
		if strings.Contains(resp.Header.Get("Content-Security-Policy"), "data:") {
			t.Errorf("CSP allows data: %q", resp.Header.Get("Content-Security-Policy"))
		}
	}
	if resp, _ := getAs(t, w.deskClient(deskCadre2), base+string(img[1])); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another village's cadre got the photo: %d", resp.StatusCode)
	}

	// The API lists the same, with the session.
	resp, body := getAs(t, centre, base+"/api/v1/tickets/"+number)
	var out struct {
		Media []struct {
			Kind, URL, Title string
			Lat              float64
		}
	}
	if err := json.Unmarshal(body, &out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET ticket: %d %v", resp.StatusCode, err)
	}
	var kinds []string
	for _, m := range out.Media {
		kinds = append(kinds, m.Kind)
	}
	if fmt.Sprint(kinds) != "[voice photo location]" || out.Media[2].Title != "翟各庄村委会" || out.Media[2].Lat != 39.80123 ||
		!strings.HasPrefix(out.Media[0].URL, "/api/v1/tickets/"+number+"/media/") {
		t.Errorf("API media = %+v", out.Media)
	}
}

// checkMediaInBrowser opens the ticket of what resident sent (sendMedia)
// in a signed-in browser: the photo is drawn (naturalWidth > 0), the voice
// message's source answers 200 with audio/ogg and the browser reads its
// length, and the place shows its coordinates.
func checkMediaInBrowser(t *testing.T, ctx context.Context, w *deskWorld, number string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Navigate(w.s.URL()+"desk/tickets/"+number), chromedp.WaitVisible(chromedp.CSS("#media img")))
	if err != nil {
		t.Fatalf("ticket with media: %v", err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`new Promise(done => {
		const img = document.querySelector("#media img");
		if (img.complete) { done(img.naturalWidth); return; }
		img.onload = () => done(img.naturalWidth);
		img.onerror = () => done(-1);
	})`, chromedp.EvalAwaitPromise))
	if err != nil || width <= 0 {
		t.Errorf("the photo is not drawn: naturalWidth %d, %v", width, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#media audio").src)
		.then(r => r.status + " " + r.headers.get("Content-Type"))`, chromedp.EvalAwaitPromise))
	if err != nil || got != "200 audio/ogg" {
		t.Errorf("the voice message's source: %q, %v", got, err)
	}
	seconds, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise(done => {
		const a = document.querySelector("#media audio");
		if (a.readyState >= 1) { done(a.duration); return; }
		a.onloadedmetadata = () => done(a.duration);
		a.onerror = () => done(-1);
		a.load();
	})`, chromedp.EvalAwaitPromise))
	if err != nil || seconds < 2.5 || seconds > 3.5 {
		t.Errorf("the browser reads the voice message as %v s, %v", seconds, err)
	}
	place, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#media .place")))
	if err != nil || !strings.Contains(place, "39.80123, 116.81234") {
		t.Errorf("the place shows %q, %v", place, err)
	}
	shot(t, ctx, "ticket-media")
}
