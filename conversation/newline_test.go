package conversation

import (
	"testing"
	"time"

	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/taxonomy"
	"hotline/workdays"
)

func TestParseLine(t *testing.T) {
	g := intents.NewGazetteer(roster.Demo().Villages)
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, notice.Zone) // a Wednesday
	cal := workdays.New(notice.Zone)
	friday := time.Date(2026, 12, 4, 23, 59, 0, 0, notice.Zone)
	tests := []struct {
		line string
		want draft
	}{
		{"翟各庄村 张大爷 13800001111 村口路灯坏了",
			draft{Village: "翟各庄村", Name: "张大爷", Phone: "13800001111", Text: "村口路灯坏了", Asked: true}},
		{"翟各庄 村口路灯坏了",
			draft{Village: "翟各庄村", Text: "村口路灯坏了"}},
		{"村口路灯坏了 翟各庄村 走访",
			draft{Village: "翟各庄村", Text: "村口路灯坏了", Source: taxonomy.Visit}},
		{"翟各庄村 王建国 电话：+86 139-1234-5678 村西头大坑",
			draft{Village: "翟各庄村", Name: "王建国", Phone: "13912345678", Text: "村西头大坑", Asked: true}},
		{"翟各庄村 老王 13912345678 村西头大坑 来电 本周内答复",
			draft{Village: "翟各庄村", Name: "老王", Phone: "13912345678", Text: "村西头大坑", Source: taxonomy.Phone, ReplyBy: friday, Asked: true}},
		{"路灯坏了 翟各庄村东头",
			draft{Village: "翟各庄村", Text: "路灯坏了 翟各庄村东头"}},
		{"翟各庄村 路灯坏了 村口",
			draft{Village: "翟各庄村", Text: "路灯坏了 村口"}},
		{"翟各庄村 010-61234567 水管爆了",
			draft{Village: "翟各庄村", Phone: "01061234567", Text: "水管爆了", Asked: true}},
		{"翟各庄村 订单号 2026112800123456 路面塌了",
			draft{Village: "翟各庄村", Text: "订单号 2026112800123456 路面塌了"}},
		{"", draft{}},
	}
	for _, tt := range tests {
		got := parseLine(tt.line, g, now, cal, notice.Zone)
		if got.Village != tt.want.Village || got.Name != tt.want.Name || got.Phone != tt.want.Phone || got.Text != tt.want.Text ||
			got.Source != tt.want.Source || !got.ReplyBy.Equal(tt.want.ReplyBy) || got.Asked != tt.want.Asked {
			t.Errorf("parseLine(%q)\n got %+v\nwant %+v", tt.line, got, tt.want)
		}
	}
}

func TestLooksLikeName(t *testing.T) {
	for w, want := range map[string]bool{
		"张大爷": true, "李奶奶": true, "王建国": true, "老王": true, "小李": true, "赵师傅": true, "张三": true,
		"路灯坏了": false, "村口": false, "漏水": false, "王": false, "Zhang": false, "张灯": false, "老房子": false,
	} {
		if got := looksLikeName(w); got != want {
			t.Errorf("looksLikeName(%q) = %v, want %v", w, got, want)
		}
	}
}
