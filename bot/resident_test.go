package bot

import (
	"slices"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"hotline/notice"
	"hotline/roster"
	"hotline/storage"
)

func TestRegistrationByButtons(t *testing.T) {
	f := newFixture(t)
	f.text(residentA, "/start")
	w := f.last(residentA)
	if w.Kind != notice.KindWelcome || !contains(w.Text, "哪个片区") || !contains(w.Text, "/stop") {
		t.Fatalf("welcome = %s %q", w.Kind, w.Text)
	}
	if got := buttonTexts(w); !slices.Equal(got[:2], []string{"东片区", "西片区"}) {
		t.Fatalf("area buttons = %v", got)
	}

	if got := f.pressOn(residentA, 10, "area:0:东片区"); got != "" {
		t.Errorf("area toast = %q", got)
	}
	menu := f.last(residentA)
	if menu.Method != "edit" || menu.EditMessageID != 10 || menu.Kind != notice.KindVillageMenu {
		t.Fatalf("village menu must edit the pressed message: %+v", menu)
	}
	if !slices.Contains(buttonTexts(menu), "翟各庄村") || !slices.Contains(buttonData(menu), "area:0") {
		t.Fatalf("village menu buttons = %v", buttonTexts(menu))
	}
	f.pressOn(residentA, 10, "area:0") // back
	if m := f.last(residentA); m.Kind != notice.KindAreaMenu || m.EditMessageID != 10 {
		t.Fatalf("back = %+v", m)
	}

	n := f.count(residentA)
	if got := f.pressOn(residentA, 10, "vil:0:翟各庄村"); got != "已登记：翟各庄村" {
		t.Errorf("village toast = %q", got)
	}
	if got := f.kindsSince(residentA, n); !slices.Equal(got, []string{notice.KindRegistered, notice.KindTagQuestion}) {
		t.Fatalf("after village: %v", got)
	}
	if r := f.resident(residentA); r.Village != "翟各庄村" || r.RegisteredAt.IsZero() {
		t.Fatalf("resident = %+v", r)
	}

	f.press(residentA, "tag:0:alone=yes")
	if q := f.last(residentA); q.Kind != notice.KindTagQuestion || !contains(q.Text, "用电取暖") {
		t.Fatalf("second question = %s %q", q.Kind, q.Text)
	}
	f.press(residentA, "tag:0:electric_heating=no")
	if m := f.last(residentA); m.Kind != notice.KindTagsDone {
		t.Fatalf("done = %s", m.Kind)
	}
	if r := f.resident(residentA); !slices.Equal(r.Tags, []string{"alone"}) {
		t.Errorf("tags = %v", r.Tags)
	}
	// /village changes it later; a typed alias works too.
	f.text(residentA, "/village")
	if c := f.chat(residentA); c.State != stateRegister {
		t.Fatalf("state after /village = %q", c.State)
	}
	f.text(residentA, "梁家务")
	if r := f.resident(residentA); r.Village != "梁家务村" {
		t.Fatalf("village after typed alias = %q", r.Village)
	}
	if m := f.last(residentA); m.Kind != notice.KindRegistered || !contains(m.Text, "改为") {
		t.Errorf("moved = %s %q", m.Kind, m.Text)
	}
}

func TestTextBeforeRegistrationIsKept(t *testing.T) {
	f := newFixture(t)
	f.text(residentA, "村口的路灯坏了好几天了")
	m := f.last(residentA)
	if m.Kind != notice.KindPendingKept || !contains(m.Text, "记下") {
		t.Fatalf("reply = %s %q", m.Kind, m.Text)
	}
	f.text(residentA, "晚上还停水")
	// A typed 片区 shows its villages; a typed village registers.
	f.text(residentA, "东片区")
	if m := f.last(residentA); m.Kind != notice.KindVillageMenu {
		t.Fatalf("typed area → %s", m.Kind)
	}
	f.text(residentA, "翟庄")
	if r := f.resident(residentA); r.Village != "翟各庄村" {
		t.Fatalf("village = %q", r.Village)
	}
	receipts := f.outbox(storage.OutboxFilter{ChatID: residentA, Kind: notice.KindReceipt})
	if len(receipts) != 2 {
		t.Fatalf("receipts = %d, want 2 (both texts)", len(receipts))
	}
	first, second := f.ticket(receipts[0].TicketID), f.ticket(receipts[1].TicketID)
	if first.Text != "村口的路灯坏了好几天了" || first.Category != "roads" || first.Village != "翟各庄村" {
		t.Errorf("first = %+v", first)
	}
	if second.Text != "晚上还停水" || second.HandlerID != roster.StaffID(waterDept) {
		t.Errorf("second = %+v", second)
	}
	if !contains(receipts[0].Text, "道路与照明") || !contains(receipts[0].Text, "曾令发（包村干部）") || contains(receipts[0].Text, "139") {
		t.Errorf("receipt = %q", receipts[0].Text)
	}
}

func TestPendingSuggestsNamedVillage(t *testing.T) {
	f := newFixture(t)
	f.text(residentA, "梁家务村的垃圾没人收")
	m := f.last(residentA)
	if got := buttonData(m); len(got) == 0 || got[0] != "vil:0:梁家务村" {
		t.Fatalf("first button = %v", got)
	}
}

func TestReportReceiptAndCard(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	f.handle(f.message(residentA, models.Message{Contact: &models.Contact{PhoneNumber: "+86 138 1234 5678", UserID: residentA}}))
	if m := f.last(residentA); m.Kind != notice.KindPhoneSaved || !contains(m.Text, "138****5678") {
		t.Fatalf("phone reply = %s %q", m.Kind, m.Text)
	}
	tk := f.report(residentA, "村口路灯坏了，晚上太黑")
	if tk.HandlerID != roster.StaffID(cadreZhai) || tk.State != "assigned" || tk.Category != "roads" {
		t.Fatalf("ticket = %+v", tk)
	}
	receipt := f.last(residentA)
	for _, want := range []string{tk.Number, "道路与照明", "曾令发（包村干部）", "办结时限"} {
		if !contains(receipt.Text, want) {
			t.Errorf("receipt lacks %q: %s", want, receipt.Text)
		}
	}
	if got := buttonData(receipt); !slices.Equal(got, []string{"rcm:" + itoa(tk.ID)}) {
		t.Errorf("receipt buttons = %v", got)
	}
	card := f.last(cadreZhai)
	if card.Kind != notice.KindCard || !contains(card.Text, "138****5678") || contains(card.Text, "12345678") {
		t.Fatalf("card = %q", card.Text)
	}
	if got := buttonTexts(card); !slices.Equal(got, []string{"接单", "办结", "转派", "上报", "申请延期", "申请退单"}) {
		t.Errorf("card buttons = %v", got)
	}
}

func TestPhotoLocationAndOtherMessages(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	tests := []struct {
		name   string
		msg    models.Message
		ticket string // the text of the ticket it opened or went to; "" when none
		kind   string
	}{
		{"photo with caption", models.Message{Photo: []models.PhotoSize{{FileID: "p1s"}, {FileID: "p1"}}, Caption: "这堆垃圾没人管"}, "[照片] 这堆垃圾没人管", notice.KindReceipt},
		{"photo alone, just after", models.Message{Photo: []models.PhotoSize{{FileID: "p2"}}}, "[照片] 这堆垃圾没人管", notice.KindMediaAdded},
		{"location, just after", models.Message{Location: &models.Location{Latitude: 39.80123, Longitude: 116.81234}}, "[照片] 这堆垃圾没人管", notice.KindMediaAdded},
		{"voice", models.Message{Voice: &models.Voice{FileID: "v", Duration: 6}}, "[语音 6秒]", notice.KindVoiceReceipt},
		{"someone else's contact", models.Message{Contact: &models.Contact{PhoneNumber: "13900000000", UserID: 5}}, "", notice.KindRefusal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.handle(f.message(residentA, tc.msg))
			m := f.last(residentA)
			if m.Kind != tc.kind {
				t.Fatalf("kind = %s (%q)", m.Kind, m.Text)
			}
			if tc.ticket != "" && f.ticket(m.TicketID).Text != tc.ticket {
				t.Errorf("ticket text = %q", f.ticket(m.TicketID).Text)
			}
		})
	}
	// The photos went to the ticket, the place on it.
	first := f.ticket(1)
	if !first.Place.Known() || first.Place.Lat != 39.80123 {
		t.Errorf("place = %+v", first.Place)
	}
	var media []storage.Media
	if err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		var err error
		media, err = tx.TicketMedia(f.ctx, first.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(media) != 2 || media[0].FileID != "p1" || media[1].FileID != "p2" {
		t.Errorf("media = %+v", media)
	}
	// Later, a photo on its own is a question, and goes with the answer.
	f.t = t
	f.now = f.now.Add(time.Hour)
	f.handle(f.message(residentA, models.Message{Photo: []models.PhotoSize{{FileID: "p3"}}}))
	if m := f.last(residentA); m.Kind != notice.KindAskWhat {
		t.Fatalf("photo alone later = %s %q", m.Kind, m.Text)
	}
	tk := f.report(residentA, "门口的井盖没了")
	if err := f.db.View(f.ctx, func(tx *storage.Tx) error {
		var err error
		media, err = tx.TicketMedia(f.ctx, tk.ID)
		return err
	}); err != nil || len(media) != 1 || media[0].FileID != "p3" {
		t.Errorf("media of the answer = %+v, %v", media, err)
	}
}

func TestStopAndStartAgain(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	f.text(residentA, "/stop")
	if !f.resident(residentA).OptedOut || f.last(residentA).Kind != notice.KindOptOut {
		t.Fatal("/stop did not opt out")
	}
	f.text(residentA, "/start@hotline_sim_bot")
	m := f.last(residentA)
	if f.resident(residentA).OptedOut || m.Kind != notice.KindWelcomeBack || !contains(m.Text, "已恢复") {
		t.Fatalf("/start again = %s %q", m.Kind, m.Text)
	}
}

func TestCommandsOfResidents(t *testing.T) {
	f := newFixture(t)
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "西片区", "梁家务村")
	mine := f.report(residentA, "路灯不亮")
	theirs := f.report(residentB, "垃圾没人收")
	tests := []struct {
		text string
		kind string
		has  string
		not  string
	}{
		{"/my", notice.KindMyList, mine.Number, theirs.Number},
		{"/ticket " + mine.Number, notice.KindTicketView, "道路与照明", ""},
		{"/ticket " + mine.Number[5:], notice.KindTicketView, mine.Number, ""}, // 000001 of this year
		{"/ticket " + theirs.Number, notice.KindRefusal, "没有找到", "环境卫生"},
		{"/ticket 2026-999999", notice.KindRefusal, "没有找到", ""},
		{"/ticket", notice.KindRefusal, "例如", ""},
		{"/tasks", notice.KindRefusal, "工作人员", ""},
		{"/help", notice.KindHelp, "/my", ""},
		{"/frobnicate", notice.KindHelp, "/village", ""},
		{"/cancel", notice.KindRefusal, "没有进行中", ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			f.t = t
			f.text(residentA, tc.text)
			m := f.last(residentA)
			if m.Kind != tc.kind || !contains(m.Text, tc.has) || (tc.not != "" && contains(m.Text, tc.not)) {
				t.Errorf("%s → %s %q", tc.text, m.Kind, m.Text)
			}
		})
	}
	// "Not found" reads the same for someone else's ticket and a missing one.
	f.text(residentA, "/ticket "+theirs.Number)
	a := f.last(residentA).Text
	f.text(residentA, "/ticket 2026-000999")
	b := f.last(residentA).Text
	if len(a) != len(b) {
		t.Errorf("not-found replies differ in shape: %q vs %q", a, b)
	}
}

func TestRecategorize(t *testing.T) {
	f := newFixture(t)
	f.text(cadreZhai, "/start")
	f.text(waterDept, "/start")
	f.register(residentA, "东片区", "翟各庄村")
	tk := f.report(residentA, "路灯旁边的水管爆了") // the fake says roads
	if got := f.press(residentA, "rcm:"+itoa(tk.ID)); got == "" {
		t.Error("no toast for the category menu")
	}
	menu := f.last(residentA)
	if menu.Kind != notice.KindCategoryMenu || len(buttonData(menu)) != 18 {
		t.Fatalf("menu = %s with %d buttons", menu.Kind, len(buttonData(menu)))
	}
	for _, d := range buttonData(menu) {
		if len(d) > notice.MaxData {
			t.Errorf("callback data %q is %d bytes", d, len(d))
		}
	}
	f.pressOn(residentA, 55, "rc:"+itoa(tk.ID)+":water")
	after := f.ticket(tk.ID)
	if after.Category != "water" || after.HandlerID != roster.StaffID(waterDept) {
		t.Fatalf("after = %s to %d", after.Category, after.HandlerID)
	}
	if m := f.last(waterDept); m.Kind != notice.KindCard {
		t.Errorf("water dept got %s", m.Kind)
	}
	msgs := f.outbox(storage.OutboxFilter{ChatID: residentA, TicketID: tk.ID})
	var kinds []string
	for _, m := range msgs {
		kinds = append(kinds, m.Kind)
	}
	if !slices.Contains(kinds, notice.KindRecategory) || !slices.Contains(kinds, notice.KindPressed) {
		t.Errorf("resident got %v", kinds)
	}
	// Someone else cannot change it, and a made-up category is refused.
	before := f.snapshot()
	if got := f.press(residentB, "rcm:"+itoa(tk.ID)); got != notice.RefuseNotFound {
		t.Errorf("other resident menu = %q", got)
	}
	if got := f.press(residentB, "rc:"+itoa(tk.ID)+":roads"); got != notice.RefuseNotFound {
		t.Errorf("other resident recategorize = %q", got)
	}
	if got := f.press(residentA, "rc:"+itoa(tk.ID)+":spaceships"); got != notice.RefuseStale {
		t.Errorf("bad category = %q", got)
	}
	if f.snapshot() != before {
		t.Error("a refused press changed something")
	}
}
