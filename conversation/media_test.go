package conversation

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
)

// A place sent within AttachWithin of a report goes on that ticket: the
// card is rewritten with it, the handler gets the pin and a note, the
// resident is told; no second ticket opens.
func TestPlaceAttachesToTheRecentReport(t *testing.T) {
	f := newFixture(t)
	f.start(cadreZhai)
	f.register(residentA, "东片区", "翟各庄村")
	f.text(residentA, "村口的路灯坏了")
	tk := f.tickets(residentA)[0]
	f.now = f.now.Add(9 * time.Minute)
	n, c := f.count(residentA), f.count(cadreZhai)
	f.location(residentA, 39.80123, 116.81234)

	if ts := f.tickets(residentA); len(ts) != 1 || ts[0].Place != (storage.Place{Lat: 39.80123, Lon: 116.81234}) {
		t.Fatalf("tickets = %+v", ts)
	}
	told := f.since(residentA, n)
	if len(told) != 1 || told[0].Kind != notice.KindMediaAdded || !strings.Contains(told[0].Text, "位置已补充到工单 <b>"+tk.Number) {
		t.Errorf("resident told %+v", told)
	}
	got := f.since(cadreZhai, c)
	if !slices.Equal(kinds(got), []string{notice.KindCardEdit, notice.KindPlaceAddendum, notice.KindMediaCopy}) {
		t.Fatalf("cadre got %v", kinds(got))
	}
	if !strings.Contains(got[0].Text, "📍 位置") || !strings.Contains(got[0].Text, "uri.amap.com/marker?position=116.812340,39.801230") ||
		!strings.Contains(got[0].Text, "39.80123, 116.81234") || got[0].EditRef != tk.CardOutbox {
		t.Errorf("card edit = %q", got[0].Text)
	}
	if cp := got[2]; cp.Method != "copy" || cp.FromChat != residentA || cp.FromMessageID != f.msg {
		t.Errorf("copy = %+v", cp)
	}
}

// A place or photo on its own, with no report a moment before, asks what
// the problem is and goes with the answer.
func TestLonePlaceAndPhotoWaitForTheWords(t *testing.T) {
	tests := []struct {
		name  string
		send  func(f *fixture)
		after time.Duration // since the last report
	}{
		{"place, no report yet", func(f *fixture) { f.location(residentA, 39.9, 116.4) }, 0},
		{"photo, report long ago", func(f *fixture) { f.photo(residentA, "p-late", "") }, time.Hour},
		{"place, just past a shorter window", func(f *fixture) { f.location(residentA, 39.9, 116.4) }, 3 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, withConfig(Config{AttachWithin: 2 * time.Minute}))
			f.start(cadreZhai)
			f.register(residentA, "东片区", "翟各庄村")
			if tc.after > 0 {
				f.text(residentA, "门口路灯不亮")
				f.now = f.now.Add(tc.after)
			}
			before := len(f.tickets(residentA))
			tc.send(f)
			if m := f.last(residentA); m.Kind != notice.KindAskWhat || !strings.Contains(m.Text, "请问遇到了什么问题") {
				t.Fatalf("asked %s %q", m.Kind, m.Text)
			}
			if len(f.tickets(residentA)) != before {
				t.Fatal("a ticket opened without words")
			}
			c := f.count(cadreZhai)
			f.text(residentA, "这里的路灯不亮了")
			ts := f.tickets(residentA)
			tk := ts[len(ts)-1]
			switch {
			case strings.HasPrefix(tc.name, "place"):
				if !tk.Place.Known() {
					t.Errorf("the place did not go with the words: %+v", tk)
				}
				if card := f.since(cadreZhai, c)[0]; card.Kind != notice.KindCard || !strings.Contains(card.Text, "📍 位置") {
					t.Errorf("card = %q", card.Text)
				}
			default:
				if ms := f.media(tk.ID); len(ms) != 1 || ms[0].FileID != "p-late" {
					t.Errorf("media = %+v", ms)
				}
				if got := kinds(f.since(cadreZhai, c)); !slices.Equal(got, []string{notice.KindCard, notice.KindMediaCopy}) {
					t.Errorf("cadre got %v", got)
				}
			}
			if f.chat(residentA).State != stateIdle {
				t.Errorf("state = %q", f.chat(residentA).State)
			}
		})
	}
}

// A photo with a caption is a report whose handler gets the card, then
// the photo; a photo alone right after a report joins it. Either way the
// ticket keeps the photo's file id, for the desk.
func TestPhotosGoToTheHandlerAfterTheCard(t *testing.T) {
	f := newFixture(t)
	f.start(cadreZhai)
	f.register(residentA, "东片区", "翟各庄村")
	c := f.count(cadreZhai)
	f.photo(residentA, "photo-1", "村口路灯倒了")
	first := f.msg
	f.now = f.now.Add(time.Minute)
	f.photo(residentA, "photo-2", "")
	second := f.msg

	ts := f.tickets(residentA)
	if len(ts) != 1 || ts[0].Text != "[照片] 村口路灯倒了" {
		t.Fatalf("tickets = %+v", ts)
	}
	got := f.since(cadreZhai, c)
	if !slices.Equal(kinds(got), []string{notice.KindCard, notice.KindMediaCopy, notice.KindMediaCopy}) {
		t.Fatalf("cadre got %v", kinds(got))
	}
	if got[1].FromMessageID != first || got[2].FromMessageID != second || !strings.Contains(got[1].Text, "村口路灯倒了") ||
		!strings.Contains(got[1].Text, ts[0].Number) {
		t.Errorf("copies = %+v", got[1:])
	}
	ms := f.media(ts[0].ID)
	if len(ms) != 2 || ms[0].FileID != "photo-1" || ms[0].FileUniqueID != "photo-1-u" || ms[1].FileID != "photo-2" {
		t.Errorf("media = %+v", ms)
	}
	if m := f.last(residentA); m.Kind != notice.KindMediaAdded || !strings.Contains(m.Text, "照片已补充到工单") {
		t.Errorf("resident told %s %q", m.Kind, m.Text)
	}
	// A transfer sends the new handler the card and the photos again.
	c = f.count(leaderEast)
	f.start(leaderEast)
	f.press(cadreZhai, "esc:"+itoa(ts[0].ID))
	if got := kinds(f.since(leaderEast, c+1)); !slices.Contains(got, notice.KindCard) || strings.Count(strings.Join(got, ","), notice.KindMediaCopy) != 2 {
		t.Errorf("area leader got %v", got)
	}
}

// Before registering, a photo goes with the words sent just before it and
// becomes part of their ticket once the village is known.
func TestPhotoBeforeRegistering(t *testing.T) {
	f := newFixture(t)
	f.start(cadreZhai)
	f.text(residentA, "路灯坏了好几天了")
	f.photo(residentA, "p-early", "")
	if m := f.last(residentA); m.Kind != notice.KindMediaKept || len(m.Buttons) == 0 {
		t.Fatalf("told %s %q", m.Kind, m.Text)
	}
	f.location(residentA, 39.8, 116.8)
	f.press(residentA, "area:0:东片区")
	f.press(residentA, "vil:0:翟各庄村")
	ts := f.tickets(residentA)
	if len(ts) != 1 || ts[0].Text != "路灯坏了好几天了" || !ts[0].Place.Known() {
		t.Fatalf("tickets = %+v", ts)
	}
	if ms := f.media(ts[0].ID); len(ms) != 1 || ms[0].FileID != "p-early" {
		t.Errorf("media = %+v", ms)
	}
}

// A place for an emergency ticket reaches the centre too.
func TestPlaceOfAnEmergencyReachesTheCentre(t *testing.T) {
	f := newFixture(t)
	f.start(cadreZhai, safetyDept, centreHan)
	f.register(residentA, "东片区", "翟各庄村")
	f.text(residentA, "闻到很大的煤气味 是不是漏了")
	c := f.count(centreHan)
	f.location(residentA, 39.8, 116.8)
	if got := kinds(f.since(centreHan, c)); !slices.Equal(got, []string{notice.KindPlaceAddendum, notice.KindMediaCopy}) {
		t.Errorf("centre got %v", got)
	}
}

// A place for a ticket already resolved is not attached: it is a new
// question.
func TestPlaceAfterResolution(t *testing.T) {
	f := newFixture(t)
	f.start(cadreZhai)
	f.register(residentA, "东片区", "翟各庄村")
	f.text(residentA, "路灯坏了")
	tk := f.tickets(residentA)[0]
	f.press(cadreZhai, "res:"+itoa(tk.ID))
	f.text(cadreZhai, "已修好")
	f.location(residentA, 39.8, 116.8)
	if m := f.last(residentA); m.Kind != notice.KindAskWhat {
		t.Errorf("told %s %q", m.Kind, m.Text)
	}
	if f.ticket(tk.ID).Place.Known() {
		t.Error("a place went on a resolved ticket")
	}
}

// A place is kept among the ticket's media with the name and address
// Telegram gave it (a venue), whether it came before the words or right
// after the report, for the desk to show.
func TestPlacesAreKeptWithTheirNames(t *testing.T) {
	venue := func(f *fixture) {
		f.handle(Inbound{UserID: residentA, Message: true, Location: &Location{Latitude: 39.8, Longitude: 116.8,
			Title: "翟各庄村委会", Address: "翟各庄村东街1号"}})
	}
	for _, before := range []bool{true, false} {
		f := newFixture(t)
		f.start(cadreZhai)
		f.register(residentA, "东片区", "翟各庄村")
		if before {
			venue(f)
		}
		f.text(residentA, "这里的路灯不亮了")
		if !before {
			venue(f)
		}
		tk := f.tickets(residentA)[0]
		var ms []storage.Media
		f.view(func(tx *storage.Tx) error {
			var err error
			ms, err = tx.ProblemMedia(f.ctx, tk.ID)
			return err
		})
		if len(ms) != 1 || ms[0].Kind != storage.MediaLocation || ms[0].Place != (storage.Place{Lat: 39.8, Lon: 116.8}) ||
			ms[0].Title != "翟各庄村委会" || ms[0].Address != "翟各庄村东街1号" || !tk.Place.Known() {
			t.Errorf("place sent before the words %v: ticket %+v, media %+v", before, tk.Place, ms)
		}
		if got := f.media(tk.ID); len(got) != 0 {
			t.Errorf("a place among what the handler gets copies of: %+v", got)
		}
	}
}
