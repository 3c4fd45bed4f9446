package conversation

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/notice"
	"hotline/storage"
)

func TestParseNotify(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		args     string
		segment  string
		category string
		text     string
		err      error
		bad      string
	}{
		{"翟各庄村 明天停电", "village:翟各庄村", "", "明天停电", nil, ""},
		{"翟各庄 明天停电", "village:翟各庄村", "", "明天停电", nil, ""},
		{"东片区 独居老人 今晚降温\n注意保暖", "area:东片区,tag:alone", "", "今晚降温\n注意保暖", nil, ""},
		{"全镇 煤改电 检修提醒", "tag:electric_heating", "", "检修提醒", nil, ""},
		{"全体 周六清运垃圾", "all", "", "周六清运垃圾", nil, ""},
		{"东片区 问询:供电 来电了吗", "area:东片区", "power", "来电了吗", nil, ""},
		{"all checkin:用电与线路 来电了吗", "all", "power", "来电了吗", nil, ""},
		{"问询：暖气 全镇 暖气热吗", "all", "heating", "暖气热吗", nil, ""},
		{"village:翟各庄村 停电", "village:翟各庄村", "", "停电", nil, ""},
		{"area:东片区,tag:alone 降温", "area:东片区,tag:alone", "", "降温", nil, ""},
		{"明天停电", "", "", "", errBadSegment, "明天停电"},
		{"火星村 明天停电", "", "", "", errBadSegment, "火星村"},
		{"village:火星村 明天停电", "", "", "", errUnknownPlace, "village:火星村"},
		{"全镇 问询:天气 下雨了", "", "", "", errBadCategory, "天气"},
		{"全镇", "", "", "", errNotifyUsage, ""},
		{"", "", "", "", errNotifyUsage, ""},
	}
	for _, tt := range tests {
		n, bad, err := parseNotify(f.a, tt.args)
		if !errors.Is(err, tt.err) || bad != tt.bad {
			t.Errorf("parseNotify(%q) err = %v %q, want %v %q", tt.args, err, bad, tt.err, tt.bad)
			continue
		}
		if err == nil && (n.Segment != tt.segment || n.Category != tt.category || n.Text != tt.text) {
			t.Errorf("parseNotify(%q) = %+v", tt.args, n)
		}
	}
}

// Every example the help shows works as shown.
func TestHelpExamplesParse(t *testing.T) {
	f := newFixture(t)
	for _, ex := range notice.NotifyExamples {
		cmd, args := Inbound{Message: true, Text: ex}.command()
		if _, _, err := parseNotify(f.a, args); cmd != "notify" || err != nil {
			t.Errorf("%q: %s %v", ex, cmd, err)
		}
		if !strings.Contains(notice.NotifyUsage, ex) {
			t.Errorf("the usage does not show %q", ex)
		}
	}
	for _, ex := range notice.TagExamples {
		cmd, args := Inbound{Message: true, Text: ex}.command()
		fields := strings.Fields(args)
		_, okTag := tagNamed(fields[1])
		_, okSwitch := switchNamed(fields[2])
		if cmd != "tag" || len(fields) != 3 || !okTag || !okSwitch {
			t.Errorf("%q does not parse", ex)
		}
		if !strings.Contains(notice.TagUsage, ex) {
			t.Errorf("the usage does not show %q", ex)
		}
	}
}

// /notify shows whom it reaches and how many, and sends only on 确认发送,
// counting again then; 取消, a late or stale press send nothing.
func TestNotifyConfirmation(t *testing.T) {
	f := newFixture(t)
	f.start(centreHan, leaderEast)
	f.register(residentA, "东片区", "翟各庄村")
	f.register(residentB, "西片区", "梁家务村")
	f.press(residentA, "tag:0:alone=yes")

	confirm := func(who int64, text string) storage.OutboxMessage {
		t.Helper()
		f.text(who, text)
		m := f.last(who)
		if m.Kind != notice.KindNotifyConfirm {
			t.Fatalf("%q: got %s %q", text, m.Kind, m.Text)
		}
		return m
	}
	runs := func() int {
		var n int
		f.view(func(tx *storage.Tx) error {
			rs, err := tx.Runs(f.ctx, storage.RunFilter{})
			n = len(rs)
			return err
		})
		return n
	}

	m := confirm(centreHan, "/notify 东片区 独居老人 今晚降温，注意保暖")
	if !strings.Contains(m.Text, "东片区 · 独居老人") || !strings.Contains(m.Text, "<b>1</b> 位居民") || len(buttonData(m)) != 2 {
		t.Fatalf("confirmation = %q %v", m.Text, buttonData(m))
	}
	// Someone else qualifies before the press: the count is taken again.
	f.register(900000003, "东片区", "翟各庄村")
	f.press(900000003, "tag:0:alone=yes")
	if got := f.press(centreHan, buttonData(m)[0]); got != notice.ToastNotified {
		t.Fatalf("toast = %q", got)
	}
	if done := f.last(centreHan); done.Kind != notice.KindBroadcastDone || !strings.Contains(done.Text, "共 2 人") {
		t.Errorf("told %s %q", done.Kind, done.Text)
	}
	if runs() != 1 {
		t.Fatalf("%d runs", runs())
	}
	if got := f.press(centreHan, buttonData(m)[0]); got != notice.NotifyExpired || runs() != 1 {
		t.Errorf("a second press: %q, %d runs", got, runs())
	}

	m = confirm(centreHan, "/notify 全镇 周六清运垃圾")
	if got := f.press(centreHan, buttonData(m)[1]); got != notice.ToastDropped || runs() != 1 {
		t.Errorf("取消: %q, %d runs", got, runs())
	}

	m = confirm(centreHan, "/notify 全镇 周六清运垃圾")
	f.now = f.now.Add(notifyWithin + time.Second)
	if got := f.press(centreHan, buttonData(m)[0]); got != notice.NotifyExpired || runs() != 1 {
		t.Errorf("late press: %q, %d runs", got, runs())
	}

	old := confirm(centreHan, "/notify 全镇 第一条")
	f.now = f.now.Add(time.Second)
	confirm(centreHan, "/notify 全镇 第二条")
	if got := f.press(centreHan, buttonData(old)[0]); got != notice.NotifyExpired || runs() != 1 {
		t.Errorf("an older confirmation sent the newer notice: %q, %d runs", got, runs())
	}

	// An area leader learns at once that another 片区 is not theirs.
	f.text(leaderEast, "/notify 梁家务村 停水")
	if m := f.last(leaderEast); m.Text != notice.RefuseNotifyArea {
		t.Errorf("leader told %q", m.Text)
	}
	// Nobody to reach: nothing to confirm.
	f.text(centreHan, "/notify 梁家务村 煤改电 检修")
	if m := f.last(centreHan); m.Kind != notice.KindNotifyConfirm || len(m.Buttons) != 0 || !strings.Contains(m.Text, "没有能收到通知的居民") {
		t.Errorf("empty range: %s %q %v", m.Kind, m.Text, m.Buttons)
	}
	// A resident's press on such a button is refused.
	if got := f.press(residentA, buttonData(old)[0]); got != notice.RefuseNotStaff {
		t.Errorf("resident's press = %q", got)
	}
}

// /tag takes the tags and the switch in Chinese as well as the ids.
func TestTagInChinese(t *testing.T) {
	f := newFixture(t)
	f.start(cadreZhai)
	f.register(residentA, "东片区", "翟各庄村")
	f.text(residentA, "路灯坏了")
	number := f.tickets(residentA)[0].Number
	tests := []struct {
		args string
		want []string
	}{
		{number + " 独居老人 开", []string{"alone"}},
		{number + " 煤改电 是", []string{"alone", "electric_heating"}},
		{number + " 独居 关", []string{"electric_heating"}},
		{itoa(residentA) + " electric_heating off", nil},
		{number + " 70岁以上独居 on", []string{"alone"}},
	}
	for _, tt := range tests {
		f.text(cadreZhai, "/tag "+tt.args)
		var r storage.Resident
		f.view(func(tx *storage.Tx) error {
			var err error
			r, err = tx.Resident(f.ctx, residentA)
			return err
		})
		if strings.Join(r.Tags, ",") != strings.Join(tt.want, ",") {
			t.Errorf("/tag %s: tags %v, want %v (%q)", tt.args, r.Tags, tt.want, f.last(cadreZhai).Text)
		}
	}
	f.text(cadreZhai, "/tag "+number+" 贫困户 开")
	if m := f.last(cadreZhai); m.Text != notice.TagUsage {
		t.Errorf("unknown tag: %q", m.Text)
	}
}
