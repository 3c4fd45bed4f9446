package duedate

import (
	"testing"
	"time"

	"hotline/workdays"
)

var cst = time.FixedZone("CST", 8*3600)

func TestParse(t *testing.T) {
	cal := workdays.New(cst)
	// Wednesday 2 December 2026, 10:00.
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, cst)
	end := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 59, 0, 0, cst) }
	tests := []struct {
		in   string
		want time.Time
		rest string
	}{
		{"本周内给予答复", end(2026, 12, 4), "给予答复"},
		{"这周", end(2026, 12, 4), ""},
		{"下周答复", end(2026, 12, 11), "答复"},
		{"今天", end(2026, 12, 2), ""},
		{"明天回复", end(2026, 12, 3), "回复"},
		{"后天", end(2026, 12, 4), ""},
		{"3天内答复", end(2026, 12, 5), "答复"},
		{"三天内", end(2026, 12, 5), ""},
		{"十五日内", end(2026, 12, 17), ""},
		{"五个工作日内", time.Date(2026, 12, 9, 10, 0, 0, 0, cst), ""},
		{"2个工作日", time.Date(2026, 12, 4, 10, 0, 0, 0, cst), ""},
		{"12月10日 等配件到货", end(2026, 12, 10), "等配件到货"},
		{"延期到12月10号，等配件", end(2026, 12, 10), "延期到 等配件"},
		{"1月5日前", end(2027, 1, 5), ""},
		{"2026-12-20 施工队排期", end(2026, 12, 20), "施工队排期"},
		{"2026/12/20", end(2026, 12, 20), ""},
		{"2027年1月8日", end(2027, 1, 8), ""},
	}
	for _, tt := range tests {
		got, rest, ok := Parse(tt.in, now, cal, cst)
		if !ok || !got.Equal(tt.want) || rest != tt.rest {
			t.Errorf("Parse(%q) = %s, %q, %v; want %s, %q", tt.in, got.Format(time.DateTime), rest, ok, tt.want.Format(time.DateTime), tt.rest)
		}
	}
	for _, bad := range []string{"", "尽快", "等配件", "2月30日", "2026-13-01", "0天内", "2026-11-30 已过"} {
		if got, _, ok := Parse(bad, now, cal, cst); ok {
			t.Errorf("Parse(%q) = %s, want no deadline", bad, got)
		}
	}
	// 本周 on a Saturday: the week's working days are over, so today.
	sat := time.Date(2026, 12, 5, 9, 0, 0, 0, cst)
	if got, _, ok := Parse("本周内", sat, cal, cst); !ok || !got.Equal(end(2026, 12, 5)) {
		t.Errorf("本周内 on Saturday = %s %v", got, ok)
	}
}
