package notice

import (
	"fmt"
	"html"
	"strings"

	"hotline/roster"
	"hotline/storage"
)

// Advice for life-safety situations (issue 10): what a resident reads
// first when their message reports a gas leak, a fire, a live wire, someone
// fallen, drowning or missing, a collapse or a fight — before any receipt
// or registration question.
//
// Where it comes from: general public-safety guidance as China's fire
// service (119), emergency medical service (120), police (110), power
// grid (95598 is the State Grid and China Southern Grid repair line) and
// gas utilities publish it for the public, shortened for a chat message
// and worded for elderly villagers. It is not medical advice and names no
// organisation's text; the numbers are the national ones, except the gas
// company's, which only the township knows (HOTLINE_GAS_PHONE) and which
// is left out, never guessed, when unset. Each kind says what to do and
// what never to do. Review it with the township's safety officer before
// changing a word; the tests pin the never-do lines.

// KindEmergencyAdvice is the safety advice sent to a resident;
// KindEmergencyCentre the alert to the centre.
const (
	KindEmergencyAdvice   = "emergency_advice"
	KindEmergencyCentre   = "emergency_centre"
	KindEmergencyRegister = "emergency_register"
)

// emergencyNames are the situations as staff read them.
var emergencyNames = map[string]string{
	"gas":         "燃气泄漏 / 煤气中毒",
	"fire":        "火情",
	"electric":    "触电 / 电线掉落",
	"person_down": "有人摔倒或昏迷",
	"drowning":    "有人落水",
	"missing":     "孩子或老人走失",
	"collapse":    "房屋倒塌",
	"fight":       "打架斗殴",
}

// EmergencyName is a life-safety situation as staff read it.
func EmergencyName(kind string) string {
	if n, ok := emergencyNames[kind]; ok {
		return n
	}
	return "紧急情况"
}

// emergencyAdvice is the advice for each kind; {gas} is where the gas
// company's line goes, when there is one.
var emergencyAdvice = map[string]string{
	"gas": "⚠️ <b>闻到煤气（燃气）味，请马上这样做：</b>\n" +
		"1. <b>不要</b>开关电灯、电器，<b>不要</b>拔插头，<b>不要</b>点火、抽烟；\n" +
		"2. <b>不要</b>在屋里打电话（手机也不要用）；\n" +
		"3. 轻轻打开门窗通风，能够到的话关上燃气总阀；\n" +
		"4. 马上带家人离开，到屋外空旷处再打电话：{gas}起火打 <b>119</b>；\n" +
		"5. 有人头晕、恶心、叫不醒（可能是煤气中毒）：把人抬到屋外通风处，打 <b>120</b>。",
	"fire": "🔥 <b>着火了，请马上这样做：</b>\n" +
		"1. 立刻离开，先救人，<b>不要</b>回去拿东西；\n" +
		"2. 离开时随手关上身后的门，<b>不要</b>坐电梯，走楼梯；有烟就用湿毛巾捂住口鼻，弯腰低姿走；\n" +
		"3. 到安全的地方马上打 <b>119</b>，说清楚村名、位置、烧的是什么；有人受伤打 <b>120</b>；\n" +
		"4. 电器、电线着火<b>不要</b>泼水。",
	"electric": "⚡ <b>有人触电或电线掉落，请马上这样做：</b>\n" +
		"1. <b>不要</b>用手碰触电的人，<b>不要</b>碰电线，也<b>不要</b>试着挪开电线；\n" +
		"2. 离掉在地上的电线至少 10 米远，拦住别人和牲口靠近；\n" +
		"3. 能安全拉下电闸（总开关）就先断电；\n" +
		"4. 有人受伤打 <b>120</b>，电线起火打 <b>119</b>，供电抢修打 <b>95598</b>。",
	"person_down": "🚑 <b>有人摔倒或昏倒，请这样做：</b>\n" +
		"1. 马上打 <b>120</b>；\n" +
		"2. 可能摔伤了头、脖子、腰的，<b>不要</b>随便搬动，<b>不要</b>硬扶起来；\n" +
		"3. 给他盖上衣物保暖，陪在身边，看着他的呼吸；\n" +
		"4. 人叫不醒、没有呼吸时，按 120 电话里医生说的做。",
	"drowning": "🆘 <b>有人落水，请马上：</b>\n" +
		"1. 大声呼救，马上打 <b>110</b> 和 <b>120</b>；\n" +
		"2. <b>不要</b>跳下去救人，不会游泳更不要下水；\n" +
		"3. 往水里扔能漂起来的东西（救生圈、泡沫板、空桶、绳子、长竿）让他抓住；\n" +
		"4. 冰面上<b>不要</b>走近冰窟窿，趴在冰上递长竿。",
	"missing": "🔎 <b>孩子或老人走失，请马上：</b>\n" +
		"1. 现在就打 <b>110</b> 报警，<b>不用</b>等 24 小时；\n" +
		"2. 准备好他的近照，说清穿的衣服、什么时候在哪里不见的；\n" +
		"3. 叫上家人邻居分头找，先找水边、路口和他常去的地方；\n" +
		"4. 留一个人在家守着电话。",
	"collapse": "🏚 <b>房子或墙倒了，请马上：</b>\n" +
		"1. 所有人马上离开，远离倒塌的房子、墙和电线，<b>不要</b>再进去拿东西；\n" +
		"2. 有人被压住或被埋，打 <b>119</b> 和 <b>120</b>；<b>不要</b>自己乱搬重物，以免再塌；\n" +
		"3. 拦住别人靠近。",
	"fight": "🚨 <b>有人打架、动刀，请：</b>\n" +
		"1. 先保护好自己，离开现场，到安全的地方；\n" +
		"2. 马上打 <b>110</b> 报警，说清楚地点、人数、有没有刀棍；\n" +
		"3. <b>不要</b>上前拉架、<b>不要</b>动手；有人受伤打 <b>120</b>。",
}

// EmergencyKinds lists the kinds the advice covers, for tests that keep it
// in step with the detector's.
func EmergencyKinds() []string {
	out := make([]string, 0, len(emergencyAdvice))
	for k := range emergencyAdvice {
		out = append(out, k)
	}
	return out
}

// EmergencyAdvice is what to do now, for a resident whose message reports
// a life-safety situation; gasPhone is the gas company's emergency line
// ("" when the township has not configured one: then it is not mentioned).
// It ends by saying who has been told.
func EmergencyAdvice(kind, gasPhone string) storage.OutboxMessage {
	text, ok := emergencyAdvice[kind]
	if !ok {
		text = "🚨 <b>情况紧急请先打电话：</b>着火打 <b>119</b>，有人受伤或生病打 <b>120</b>，治安情况打 <b>110</b>。"
	}
	gas := ""
	if p := strings.TrimSpace(gasPhone); p != "" {
		gas = fmt.Sprintf("燃气公司抢修 <b>%s</b>，", html.EscapeString(p))
	}
	text = strings.ReplaceAll(text, "{gas}", gas)
	text += "\n\n我们已同时通知负责的工作人员和镇中心。"
	return msg(KindEmergencyAdvice, text, nil)
}

// EmergencyCentre alerts the centre to an emergency ticket at once,
// whoever handles it: the centre follows every one.
func EmergencyCentre(t storage.Ticket, r storage.Resident) storage.OutboxMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "🚨 <b>紧急情况：%s</b>\n工单 <b>%s</b>\n", EmergencyName(t.Emergency), t.Number)
	if t.Village != "" {
		fmt.Fprintf(&b, "村庄：%s（%s）\n", html.EscapeString(t.Village), html.EscapeString(t.Area))
	} else {
		b.WriteString("村庄：<b>不知道</b>，请尽快联系居民问清地点\n")
	}
	if t.Place.Known() {
		b.WriteString("位置：" + PlaceLink(t.Place) + "\n")
	}
	fmt.Fprintf(&b, "内容：%s\n", html.EscapeString(t.Text))
	if c := maskedContact(t, r); c != "" {
		fmt.Fprintf(&b, "居民：%s\n", c)
	}
	fmt.Fprintf(&b, "承办：%s\n已给居民发送安全提示和报警电话。", handler(t))
	return storage.OutboxMessage{TicketID: t.ID, Kind: KindEmergencyCentre, Text: b.String()}
}

// EmergencyRegister asks an unregistered resident for their village once
// the advice is out and the ticket opened: the last thing they are asked.
func EmergencyRegister(r *roster.Roster, t storage.Ticket, suggest string) storage.OutboxMessage {
	text := fmt.Sprintf("您的情况已登记为紧急工单 <b>%s</b>。\n方便的时候请选一下您住在哪个片区，以后有事我们好联系您：", t.Number)
	return msg(KindEmergencyRegister, text, AreaButtons(r, suggest))
}
