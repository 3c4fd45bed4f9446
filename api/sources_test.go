package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hotline/assets"
	"hotline/intents"
	"hotline/notice"
	"hotline/reports"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// keywords is a classifier for the tests: street lights are roads, pipes
// water; the village from the words through the gazetteer; 故障 makes it
// fail, which leaves the ticket to the centre.
type keywords struct{ g *intents.Gazetteer }

func (k keywords) Classify(_ context.Context, in intents.Input) (intents.Result, error) {
	r := intents.Result{Category: taxonomy.Other, Urgency: taxonomy.Normal, Confidence: 0.9, Source: "test", Village: in.ResidentVillage}
	switch {
	case strings.Contains(in.Text, "故障"):
		return r, errors.New("classifier down")
	case strings.Contains(in.Text, "路灯"):
		r.Category = taxonomy.Roads
	case strings.Contains(in.Text, "水管"):
		r.Category = taxonomy.Water
	}
	if v, ok := k.g.Find(in.Text); ok && r.Village == "" {
		r.Village = v
	}
	return r, nil
}

func TestPostTicket(t *testing.T) {
	f := newFixture(t)
	f.a.Classifier = keywords{f.a.Gazetteer}
	f.now = f.now.Add(time.Minute) // after the fixture's own tickets and receipts
	opened := f.now
	steps := []struct {
		what string
		who  roster.StaffID
		body any
		want int
	}{
		{"no credentials", 0, NewTicket{Text: "村口路灯坏了", Village: "翟各庄村", Source: "walkin"}, 401},
		{"not JSON", cadre, "村口路灯坏了", 400},
		{"unknown field", cadre, map[string]any{"text": "村口路灯坏了", "source": "walkin", "urgent": true}, 400},
		{"no text", cadre, NewTicket{Text: "  ", Village: "翟各庄村", Source: "walkin"}, 400},
		{"no source", cadre, NewTicket{Text: "村口路灯坏了", Village: "翟各庄村"}, 400},
		{"a resident's source", cadre, NewTicket{Text: "村口路灯坏了", Village: "翟各庄村", Source: "telegram"}, 400},
		{"a campaign's source", cadre, NewTicket{Text: "村口路灯坏了", Village: "翟各庄村", Source: "checkin"}, 400},
		{"an unknown source", cadre, NewTicket{Text: "村口路灯坏了", Village: "翟各庄村", Source: "fax"}, 400},
		{"an unknown village", cadre, NewTicket{Text: "村口路灯坏了", Village: "无名村", Source: "walkin"}, 400},
		{"a reply time that is none", cadre, NewTicket{Text: "村口路灯坏了", Village: "翟各庄村", Source: "walkin", ReplyBy: "改天"}, 400},
		{"another village's cadre", otherCadre, NewTicket{Text: "村口路灯坏了", Village: "翟各庄村", Source: "visit"}, 403},
		{"a cadre naming no village", cadre, NewTicket{Text: "路灯坏了", Source: "visit"}, 403},
		{"another 片区's leader", leader, NewTicket{Text: "路灯坏了", Village: "梁家务村", Source: "phone"}, 403},
		{"a cadre entering a 12345 order", cadre, NewTicket{Text: "路灯坏了", Village: "翟各庄村", Source: "12345", ExternalID: "2026112800001"}, 403},
		{"a 12345 order without its number", center, NewTicket{Text: "路灯坏了", Village: "翟各庄村", Source: "12345"}, 400},
		{"a 12345 order", center, NewTicket{Text: "翟各庄村西头水管漏水", Source: "12345", ExternalID: "2026112800001", RequesterName: "刘女士", RequesterPhone: "13911112222"}, 201},
		{"the same order twice", center, NewTicket{Text: "翟各庄村西头水管漏水", Source: "12345", ExternalID: "2026112800001"}, 409},
		{"the leader in their 片区", leader, NewTicket{Text: "路灯坏了", Village: "翟各庄村", Source: "phone"}, 201},
		{"a department anywhere", water, NewTicket{Text: "水管冻裂了", Village: "梁家务村", Source: "phone"}, 201},
		{"the village from the words", center, NewTicket{Text: "梁家务村的暖气不热", Source: "visit"}, 201},
		{"the classifier down", center, NewTicket{Text: "故障", Village: "梁家务村", Source: "walkin"}, 201},
	}
	for _, s := range steps {
		if code, out := f.call(t, "POST", "/api/v1/tickets", s.who, s.body); code != s.want {
			t.Errorf("%s: %d %v, want %d", s.what, code, out, s.want)
		}
	}
	checkOpened(t, f, opened)
}

// checkOpened checks the tickets TestPostTicket opened.
func checkOpened(t *testing.T, f *fixture, opened time.Time) {
	// The cadre opens one for 张大爷, who came by about the light another
	// resident reported: linked to that ticket, his phone masked, a reply
	// promised.
	body, _ := json.Marshal(NewTicket{Text: "村口路灯坏了", Village: "翟各庄", Source: "walkin",
		RequesterName: "张大爷", RequesterPhone: "138-0000-1111", ReplyBy: "2026-12-05"})
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/tickets", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+f.tokens[cadre])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 201 {
		t.Fatalf("%d %v %v", resp.StatusCode, out, err)
	}
	number := out["number"].(string)
	if resp.Header.Get("Location") != "/api/v1/tickets/"+number {
		t.Errorf("Location = %q", resp.Header.Get("Location"))
	}
	requester, _ := out["requester"].(map[string]any)
	if out["source"] != "walkin" || out["village"] != "翟各庄村" || out["category"] != "roads" || out["state"] != "linked" ||
		out["linked_to"] != f.numbers["zroad"] || requester["name"] != "张大爷" || requester["phone"] != "138****1111" ||
		!strings.HasPrefix(out["reply_by"].(string), "2026-12-05T23:59") || out["resident"] != nil {
		t.Errorf("opened %v", out)
	}
	raw, _ := json.Marshal(out)
	if strings.Contains(string(raw), "13800001111") {
		t.Error("the requester's full phone is in the answer")
	}
	if _, p := f.call(t, "GET", "/api/v1/tickets/"+f.numbers["zroad"], cadre, nil); p["requesters"] != 2.0 {
		t.Errorf("the primary counts %v requesters", p["requesters"])
	}
	// The order's handler reads the number to phone on their card; no
	// resident's chat hears of tickets opened for others.
	var msgs []storage.OutboxMessage
	if err := f.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		msgs, err = tx.OutboxMessages(context.Background(), storage.OutboxFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	phoned := false
	for _, m := range msgs {
		if m.ChatID == resident && !m.CreatedAt.Before(opened) {
			t.Errorf("the resident's chat got %s", m.Kind)
		}
		phoned = phoned || (m.ChatID == int64(water) && m.Kind == notice.KindCard && strings.Contains(m.Text, "刘女士 13911112222"))
	}
	if !phoned {
		t.Error("the order's card does not give the requester's number to its handler")
	}

	// The 12345 order: found by the words' village, its number kept.
}

// A 12345 order entered by hand: found by the words' village, its number
// kept; with the classifier down, the centre triages.
func TestPostTicketOrder(t *testing.T) {
	f := newFixture(t)
	f.a.Classifier = keywords{f.a.Gazetteer}
	for _, body := range []NewTicket{
		{Text: "翟各庄村西头水管漏水", Source: "12345", ExternalID: "2026112800001", RequesterName: "刘女士", RequesterPhone: "13911112222"},
		{Text: "故障", Village: "梁家务村", Source: "walkin"},
	} {
		if code, out := f.call(t, "POST", "/api/v1/tickets", center, body); code != 201 {
			t.Fatalf("%v: %d %v", body, code, out)
		}
	}
	_, list := f.call(t, "GET", "/api/v1/tickets?source=12345", center, nil)
	orders := list["tickets"].([]any)
	if len(orders) != 1 {
		t.Fatalf("12345 tickets: %v", orders)
	}
	o := orders[0].(map[string]any)
	if o["external_id"] != "2026112800001" || o["village"] != "翟各庄村" || o["category"] != "water" {
		t.Errorf("order = %v", o)
	}
	_, fallback := f.call(t, "GET", "/api/v1/tickets?q="+"故障", center, nil)
	if ts := fallback["tickets"].([]any); len(ts) != 1 || ts[0].(map[string]any)["category"] != "other" {
		t.Errorf("with the classifier down: %v", ts)
	}
}

// TestHandlingActions walks the 12345 steps through the API: 先行联系, a
// promised reply, 延期 and 退单 asked and decided, with their rights.
func TestHandlingActions(t *testing.T) {
	f := newFixture(t)
	act := func(who roster.StaffID, name string, body any) (int, map[string]any) {
		t.Helper()
		return f.call(t, "POST", "/api/v1/tickets/"+f.numbers[name]+"/actions", who, body)
	}
	steps := []struct {
		what string
		who  roster.StaffID
		name string
		body ActionRequest
		want int
	}{
		{"contact before taking it", cadre, "zroad", ActionRequest{Action: "contact"}, 409},
		{"accept", cadre, "zroad", ActionRequest{Action: "accept"}, 200},
		{"contact by the leader", leader, "zroad", ActionRequest{Action: "contact"}, 403},
		{"contact by another cadre", otherCadre, "zroad", ActionRequest{Action: "contact"}, 404},
		{"contact in the future", cadre, "zroad", ActionRequest{Action: "contact", At: "2026-11-28 12:00"}, 400},
		{"contact before the ticket", cadre, "zroad", ActionRequest{Action: "contact", At: "2026-11-27 12:00"}, 400},
		{"contact at nonsense", cadre, "zroad", ActionRequest{Action: "contact", At: "刚才"}, 400},
		{"contact", cadre, "zroad", ActionRequest{Action: "contact", At: "2026-11-28T09:03:00Z"}, 200},
		{"contact twice", cadre, "zroad", ActionRequest{Action: "contact"}, 409},
		{"promise nothing", cadre, "zroad", ActionRequest{Action: "promise"}, 400},
		{"promise the past", cadre, "zroad", ActionRequest{Action: "promise", ReplyBy: "2026-11-01"}, 400},
		{"promise", cadre, "zroad", ActionRequest{Action: "promise", ReplyBy: "2026-12-05"}, 200},
		{"extend by the leader", leader, "zroad", ActionRequest{Action: "extend", Deadline: "2026-12-20", Note: "材料未到"}, 403},
		{"extend without a reason", cadre, "zroad", ActionRequest{Action: "extend", Deadline: "2026-12-20"}, 400},
		{"extend to no time", cadre, "zroad", ActionRequest{Action: "extend", Note: "材料未到"}, 400},
		{"extend to an earlier time", cadre, "zroad", ActionRequest{Action: "extend", Deadline: "2026-11-28 10:00", Note: "材料未到"}, 400},
		{"approve with nothing asked", center, "zroad", ActionRequest{Action: "approve"}, 409},
		{"extend", cadre, "zroad", ActionRequest{Action: "extend", Deadline: "2026-12-20", Note: "灯具需要订货"}, 200},
		{"return while one waits", cadre, "zroad", ActionRequest{Action: "return", Note: "不归我们管"}, 409},
		{"approve by the handler", cadre, "zroad", ActionRequest{Action: "approve"}, 403},
		{"approve by the leader", leader, "zroad", ActionRequest{Action: "approve"}, 403},
		{"approve", center, "zroad", ActionRequest{Action: "approve", Note: "同意"}, 200},
		{"approve again", center, "zroad", ActionRequest{Action: "refuse"}, 409},
		{"return without a reason", water, "zwater", ActionRequest{Action: "return"}, 400},
		{"return", water, "zwater", ActionRequest{Action: "return", Note: "入户管道归村里管"}, 200},
		{"refuse by an admin", admin, "zwater", ActionRequest{Action: "refuse", Note: "主管道属水务站"}, 200},
	}
	for _, s := range steps {
		if code, out := act(s.who, s.name, s.body); code != s.want {
			t.Fatalf("%s: %d %v, want %d", s.what, code, out, s.want)
		}
	}
	_, out := f.call(t, "GET", "/api/v1/tickets/"+f.numbers["zroad"], center, nil)
	if out["contacted_at"] != "2026-11-28T17:03:00+08:00" || !strings.HasPrefix(out["reply_by"].(string), "2026-12-05T23:59") ||
		!strings.HasPrefix(out["resolve_by"].(string), "2026-12-20T23:59") || out["request"] != nil {
		t.Errorf("after the steps: contacted %v, reply by %v, resolve by %v, request %v", out["contacted_at"], out["reply_by"], out["resolve_by"], out["request"])
	}
	_, out = f.call(t, "GET", "/api/v1/tickets/"+f.numbers["zwater"], center, nil)
	if out["handler"].(map[string]any)["name"] != "水务站" || out["request"] != nil {
		t.Errorf("after the refusal: %v", out)
	}
	// A request waiting shows on the ticket.
	if code, out := act(cadre, "zroad", ActionRequest{Action: "return", Note: "属于公路段"}); code != 200 {
		t.Fatalf("return: %d %v", code, out)
	}
	_, out = f.call(t, "GET", "/api/v1/tickets/"+f.numbers["zroad"], leader, nil)
	if r, _ := out["request"].(map[string]any); r["kind"] != "return" || r["reason"] != "属于公路段" {
		t.Errorf("request shown as %v", out["request"])
	}
	var kinds []string
	for _, e := range out["events"].([]any) {
		kinds = append(kinds, e.(map[string]any)["kind"].(string))
	}
	want := []string{"created", "classified", "assigned", "accepted", "contacted", "promised", "extension_requested", "extension_approved", "return_requested"}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Errorf("events = %v", kinds)
	}
}

// TestLinkActions links a ticket to another by hand and unlinks it.
func TestLinkActions(t *testing.T) {
	f := newFixture(t)
	act := func(who roster.StaffID, name string, body ActionRequest) (int, map[string]any) {
		t.Helper()
		return f.call(t, "POST", "/api/v1/tickets/"+f.numbers[name]+"/actions", who, body)
	}
	steps := []struct {
		what string
		who  roster.StaffID
		name string
		body ActionRequest
		want int
	}{
		{"link to nothing", center, "lroad", ActionRequest{Action: "link"}, 400},
		{"link to an unknown ticket", center, "lroad", ActionRequest{Action: "link", Ticket: "2026-999999"}, 404},
		{"link to itself", center, "lroad", ActionRequest{Action: "link", Ticket: f.numbers["lroad"]}, 409},
		{"link to a ticket out of sight", otherCadre, "lroad", ActionRequest{Action: "link", Ticket: f.numbers["zroad"]}, 404},
		{"link another's ticket", cadre, "zwater", ActionRequest{Action: "link", Ticket: f.numbers["zroad"]}, 403},
		{"unlink a ticket not linked", center, "lroad", ActionRequest{Action: "unlink"}, 409},
		{"link", center, "lroad", ActionRequest{Action: "link", Ticket: f.numbers["zroad"]}, 200},
		{"link to a linked ticket", center, "lheat", ActionRequest{Action: "link", Ticket: f.numbers["lroad"]}, 409},
		{"unlink by another village's cadre", otherCadre, "lroad", ActionRequest{Action: "unlink"}, 403},
		{"unlink", center, "lroad", ActionRequest{Action: "unlink"}, 200},
	}
	for i, s := range steps {
		code, out := act(s.who, s.name, s.body)
		if code != s.want {
			t.Fatalf("%s: %d %v, want %d", s.what, code, out, s.want)
		}
		if s.what != "link" {
			continue
		}
		_, primary := f.call(t, "GET", "/api/v1/tickets/"+f.numbers["zroad"], center, nil)
		if out["state"] != "linked" || out["linked_to"] != f.numbers["zroad"] || primary["requesters"] != 2.0 {
			t.Fatalf("step %d: linked %v, primary %v", i, out, primary)
		}
	}
	_, out := f.call(t, "GET", "/api/v1/tickets/"+f.numbers["lroad"], center, nil)
	_, primary := f.call(t, "GET", "/api/v1/tickets/"+f.numbers["zroad"], center, nil)
	if out["state"] != "assigned" || out["linked_to"] != nil || out["handler"].(map[string]any)["name"] != "王强" || primary["requesters"] != 1.0 {
		t.Errorf("after unlinking: %v; primary %v", out, primary)
	}
}

// TestStatsScore asks for the scorecard with the stats.
func TestStatsScore(t *testing.T) {
	f := newFixture(t)
	f.cfgWeights(t, "response=50,resolution=50,satisfaction=0")
	for _, s := range []struct {
		who  roster.StaffID
		name string
		body ActionRequest
	}{
		{cadre, "zroad", ActionRequest{Action: "accept"}},
		{cadre, "zroad", ActionRequest{Action: "contact"}},
		{cadre, "zroad", ActionRequest{Action: "resolve", Note: "已修", Outcome: "partly"}},
	} {
		if code, out := f.call(t, "POST", "/api/v1/tickets/"+f.numbers[s.name]+"/actions", s.who, s.body); code != 200 {
			t.Fatalf("%v: %d %v", s.body, code, out)
		}
	}
	f.now = f.now.Add(5 * time.Hour)
	code, out := f.call(t, "GET", "/api/v1/stats?from=2026-11-28&to=2026-11-28&by=village&score=1", center, nil)
	if code != 200 {
		t.Fatalf("%d %v", code, out)
	}
	score := out["score"].(map[string]any)
	if w := score["weights"].(map[string]any); w["response"] != 50.0 || w["satisfaction"] != 0.0 {
		t.Errorf("weights = %v", w)
	}
	groups := map[string]map[string]any{}
	for _, g := range score["groups"].([]any) {
		g := g.(map[string]any)
		groups[g["name"].(string)] = g
	}
	z := groups["翟各庄村"]
	// 翟各庄村: two problems, one contacted and accepted in time (the water
	// ticket's 4 h passed), one resolved 部分解决 at half credit, none rated.
	if z["problems"] != 2.0 || z["contact_rate"] != 0.5 || z["response_rate"] != 0.5 || z["partly"] != 1.0 || z["satisfaction_rate"] != nil {
		t.Errorf("翟各庄村 = %v", z)
	}
	if out["total"].(map[string]any)["tickets"] != 4.0 || len(score["departments"].([]any)) == 0 {
		t.Errorf("total %v, departments %v", out["total"], score["departments"])
	}
	if _, plain := f.call(t, "GET", "/api/v1/stats?from=2026-11-28&to=2026-11-28", center, nil); plain["score"] != nil {
		t.Errorf("the scorecard without asking: %v", plain["score"])
	}
	if code, _ := f.call(t, "GET", "/api/v1/stats?score=yes", center, nil); code != 400 {
		t.Errorf("score=yes: %d", code)
	}
}

// cfgWeights serves the fixture again with the scorecard weighed by spec.
func (f *fixture) cfgWeights(t *testing.T, spec string) {
	t.Helper()
	w, err := reports.ParseWeights(spec)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Close()
	f.srv = httptest.NewServer(New(Config{DB: f.db, Assets: assets.Fixed{A: f.a}, Tickets: f.svc, SignIn: f.sign,
		Now: func() time.Time { return f.now }, Log: slog.New(slog.DiscardHandler), ScoreWeights: w}))
	t.Cleanup(f.srv.Close)
}
