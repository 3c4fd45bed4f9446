package notice

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"hotline/intents"
	"hotline/roster"
	"hotline/storage"
	"hotline/taxonomy"
)

// The advice covers exactly the detector's kinds, names the gas company
// only when the township configured its line, and escapes it.
func TestEmergencyAdvice(t *testing.T) {
	detector := []intents.EmergencyKind{intents.EmergencyGas, intents.EmergencyFire, intents.EmergencyElectric, intents.EmergencyPersonDown,
		intents.EmergencyDrowning, intents.EmergencyMissing, intents.EmergencyCollapse, intents.EmergencyViolence}
	if len(EmergencyKinds()) != len(detector) {
		t.Errorf("advice for %d kinds, the detector has %d", len(EmergencyKinds()), len(detector))
	}
	never := map[intents.EmergencyKind][]string{
		intents.EmergencyGas:        {"<b>不要</b>开关电灯", "<b>不要</b>在屋里打电话", "打开门窗", "到屋外空旷处再打电话"},
		intents.EmergencyFire:       {"随手关上身后的门", "<b>不要</b>坐电梯", "119"},
		intents.EmergencyElectric:   {"<b>不要</b>碰电线", "<b>不要</b>试着挪开电线", "拦住别人"},
		intents.EmergencyPersonDown: {"<b>不要</b>随便搬动", "保暖", "120"},
		intents.EmergencyDrowning:   {"<b>不要</b>跳下去", "能漂起来的东西", "110", "120"},
		intents.EmergencyMissing:    {"现在就打 <b>110</b>"},
		intents.EmergencyCollapse:   {"马上离开", "119"},
		intents.EmergencyViolence:   {"离开现场", "110", "<b>不要</b>上前拉架"},
	}
	for _, k := range detector {
		text := EmergencyAdvice(string(k), "").Text
		for _, want := range never[k] {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", k, want)
			}
		}
		if strings.Contains(text, "燃气公司") || strings.Contains(text, "{gas}") {
			t.Errorf("%s names a gas line nobody configured: %q", k, text)
		}
	}
	gas := EmergencyAdvice("gas", "0316-<123>").Text
	if !strings.Contains(gas, "燃气公司抢修 <b>0316-&lt;123&gt;</b>") {
		t.Errorf("gas advice = %q", gas)
	}
	if other := EmergencyAdvice("meteor", "").Text; !strings.Contains(other, "119") || !strings.Contains(other, "120") {
		t.Errorf("unknown kind = %q", other)
	}
}

func TestEmergencyCentre(t *testing.T) {
	tk := storage.Ticket{ID: 3, Number: "2026-000003", Emergency: "fire", Text: "着火了 <快>", HandlerName: "曾令发", HandlerRole: roster.VillageCadre}
	m := EmergencyCentre(tk, storage.Resident{Name: "张大爷", Phone: "13812345678"})
	for _, want := range []string{"紧急情况：火情", "2026-000003", "村庄：<b>不知道</b>", "着火了 &lt;快&gt;", "138****5678", "曾令发（包村干部）"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("alert lacks %q: %s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "12345678") {
		t.Error("the phone is not masked")
	}
	tk.Village, tk.Area, tk.Place = "翟各庄村", "东片区", storage.Place{Lat: 39.8, Lon: 116.8}
	if m := EmergencyCentre(tk, storage.Resident{}); !strings.Contains(m.Text, "翟各庄村（东片区）") || !strings.Contains(m.Text, "39.80000, 116.80000") {
		t.Errorf("alert = %s", m.Text)
	}
}

func TestCardMediaAndReopenLines(t *testing.T) {
	tk := storage.Ticket{Number: "2026-000001", Category: taxonomy.Other, Urgency: taxonomy.Urgent, State: "assigned", Text: "[语音 9秒]",
		Voice: 9, Emergency: "gas", Place: storage.Place{Lat: 39.80123, Lon: 116.81234},
		Reopened: 2, ReopenNote: "已<修>好", ReopenReason: "还是不行"}
	text := CardText(tk, storage.Resident{}, 0)
	for _, want := range []string{"紧急情况：<b>燃气泄漏", "🎤 语音留言 9 秒", "position=116.812340,39.801230&amp;coordinate=wgs84", ">39.80123, 116.81234</a>",
		"居民反馈未解决</b>（第 2 次）", "上次办理结果：已&lt;修&gt;好", "居民说：还是不行"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	plain := CardText(storage.Ticket{Number: "2026-000002", Category: taxonomy.Roads, Urgency: taxonomy.Normal, State: "assigned", Text: "路灯坏了", Reopened: 1}, storage.Resident{}, 0)
	for _, not := range []string{"紧急情况", "语音", "位置", "未解决"} {
		if strings.Contains(plain, not) {
			t.Errorf("a plain card says %q:\n%s", not, plain)
		}
	}
}

func TestMediaCopyAndVoiceReceipt(t *testing.T) {
	tk := storage.Ticket{ID: 5, Number: "2026-000005", HandlerName: "曾令发", HandlerRole: roster.VillageCadre}
	long := strings.Repeat("😀", 2000)
	m := MediaCopy(tk, storage.Media{Kind: storage.MediaPhoto, ChatID: 9, MessageID: 4, Caption: "<垃圾>" + long})
	if m.Method != "copy" || m.FromChat != 9 || m.FromMessageID != 4 || m.TicketID != 5 || !strings.Contains(m.Text, "&lt;垃圾&gt;") {
		t.Errorf("copy = %+v", m)
	}
	plain := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m.Text, ""))
	if n := len(utf16.Encode([]rune(plain))); n > maxCaption || n < maxCaption-80 {
		t.Errorf("caption of %d UTF-16 units", n)
	}
	v := MediaCopy(tk, storage.Media{Kind: storage.MediaVoice, ChatID: 9, MessageID: 5, Duration: 12})
	if !strings.Contains(v.Text, "语音留言（12 秒）") {
		t.Errorf("voice copy = %q", v.Text)
	}
	tk.Voice = 12
	r := Receipt(tk)
	if r.Kind != KindVoiceReceipt || !strings.Contains(r.Text, "包村干部 曾令发 会听您的语音") || len(r.Buttons) != 1 {
		t.Errorf("voice receipt = %+v", r)
	}
}

func TestSegmentNameAndConfirmation(t *testing.T) {
	for seg, want := range map[string]string{
		"all": "全镇", "village:翟各庄村": "翟各庄村", "area:东片区,tag:alone": "东片区 · 独居老人", "tag:electric_heating": "煤改电",
	} {
		if got := SegmentName(seg); got != want {
			t.Errorf("SegmentName(%q) = %q, want %q", seg, got, want)
		}
	}
	m := NotifyConfirm("area:东片区", 12, taxonomy.Power, "今晚<停电>", 1764320400000, 5)
	if !strings.Contains(m.Text, "<b>12</b> 位居民") || !strings.Contains(m.Text, "用电与线路") || !strings.Contains(m.Text, "今晚&lt;停电&gt;") ||
		len(m.Buttons) != 1 || len(m.Buttons[0]) != 2 || len(m.Buttons[0][0].Data) > MaxData {
		t.Errorf("confirmation = %+v", m)
	}
	if a, err := ParseAction(m.Buttons[0][0].Data); err != nil || a.Verb != VerbNotify || a.ID != 1764320400000 || a.Arg != "ok" {
		t.Errorf("button = %+v, %v", a, err)
	}
	if none := NotifyConfirm("area:东片区", 0, "", "x", 1, 5); len(none.Buttons) != 0 {
		t.Errorf("nothing to confirm, yet buttons: %+v", none.Buttons)
	}
}
