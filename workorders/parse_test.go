package workorders

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline/intents"
	"hotline/notice"
	"hotline/roster"
	"hotline/table"
	"hotline/taxonomy"
	"hotline/workdays"
)

func testParser() Parser {
	return Parser{Gazetteer: intents.NewGazetteer(roster.Demo().Villages), Calendar: workdays.New(notice.Zone), Zone: notice.Zone}
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, notice.Zone)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseExports(t *testing.T) {
	tests := []struct {
		file     string
		encoding string
		want     []Order
	}{
		{"testdata/orders-utf8.csv", table.UTF8, []Order{
			{Number: "GD20261125000118", Dispatched: at("2026-11-25 09:15"), Requester: "张先生", Phone: "13800001111", Type: "求助",
				Village: "翟各庄村", Category: taxonomy.Roads, ResolveBy: at("2026-11-30 09:15")}, // Wednesday + 3 working days
			{Number: "GD20261125000342", Phone: "13912345678", Type: "投诉", Village: "梁家务村", Category: taxonomy.Pollution,
				ResolveBy: at("2026-11-27 18:00"), Supervised: true},
			{Number: "GD20261126000057", Phone: "01061234567", Type: "咨询", Village: "东寺庄村", Category: taxonomy.Heating,
				ResolveBy: at("2026-12-03 09:45")}, // a bare 5: working days
			{Number: "GD20261126000211", Type: "投诉", Village: "马各庄村", ResolveBy: at("2026-12-03 14:30")}, // default, village from the address
			{Number: "GD20261127000009", Type: "举报", Village: "前辛庄村", Category: taxonomy.Power, ResolveBy: at("2026-11-28 08:20")},
			{Number: "GD20261127000120", Type: "建议", Village: "兴华社区", ResolveBy: at("2026-12-07 17:05")},
		}},
		{"testdata/orders-gbk-variants.csv", table.GB18030, []Order{
			{Number: "GD20261128000031", Dispatched: at("2026-11-28 09:30"), Requester: "刘大妈", Type: "求助", Village: "杨家务村",
				Category: taxonomy.Water, ResolveBy: at("2026-12-02 00:00")}, // dispatched on Saturday: when Tuesday ends
			{Number: "GD20261128000077", Type: "投诉", Village: "胡家堡村", Category: taxonomy.Construction,
				ResolveBy: at("2026-12-04 23:59"), Supervised: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tb, err := table.Open(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if tb.Encoding != tt.encoding {
				t.Errorf("encoding %q, want %q", tb.Encoding, tt.encoding)
			}
			got, err := testParser().Parse(tb)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d orders, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Number != w.Number || g.Type != w.Type || g.Village != w.Village || g.Category != w.Category ||
					g.Supervised != w.Supervised || (w.Phone != "" && g.Phone != w.Phone) || (w.Requester != "" && g.Requester != w.Requester) ||
					(!w.Dispatched.IsZero() && !g.Dispatched.Equal(w.Dispatched)) {
					t.Errorf("order %d = %+v\nwant %+v", i, g, w)
				}
				if !g.ResolveBy.Equal(w.ResolveBy) {
					t.Errorf("order %s: resolve by %s, want %s", g.Number, g.ResolveBy.In(notice.Zone), w.ResolveBy)
				}
				if g.Text() == "" || g.Pos.Line < 2 {
					t.Errorf("order %s: text %q at %s", g.Number, g.Text(), g.Pos)
				}
			}
		})
	}
}

func TestParseRefusesBadRowsWhole(t *testing.T) {
	head := "工单编号,派单时间,诉求内容,工单类型,村/社区,办理时限,督办标志,联系电话\n"
	good := "GD1,2026-11-25 09:00,路灯坏了,求助,翟各庄村,3个工作日,否,13800001111\n"
	csv := head + good +
		",2026-11-25 09:00,路灯坏了,求助,翟各庄村,,,\n" + // line 3
		"GD3,昨天上午,路灯坏了,求助,翟各庄村,,,\n" + // line 4
		"GD4,2026-11-25 09:00,路灯坏了,表扬,翟各庄村,,,\n" + // line 5
		"GD5,2026-11-25 09:00,路灯坏了,求助,火星村,,,\n" + // line 6
		"GD1,2026-11-25 09:00,路灯坏了,求助,翟各庄村,,,\n" + // line 7
		"GD7,2026-11-25 09:00,路灯坏了,求助,翟各庄村,尽快,,\n" + // line 8
		"GD8,2026-11-25 09:00,路灯坏了,求助,翟各庄村,,也许,\n" + // line 9
		"GD9,2026-11-25 09:00,路灯坏了,求助,翟各庄村,,,打我手机\n" + // line 10
		"GD10,2026-11-25 09:00,,求助,翟各庄村,,,\n" + // line 11
		"GD11,2026-11-25 09:00,路灯坏了,求助,翟各庄村,2026-11-20,,\n" + // line 12
		"GD12,2026-11-25 09:00,路灯坏了,求助\n" // line 13
	tb, err := table.Read("orders.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	_, err = testParser().Parse(tb)
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"orders.csv:3: 工单编号 is empty",
		`orders.csv:4: 派单时间 "昨天上午" is not a date and time`,
		`orders.csv:5: 工单类型 "表扬" is not one of`,
		`orders.csv:6: 村/社区 "火星村" is not a village of the roster`,
		"orders.csv:7: 工单编号 GD1 is also on orders.csv:2",
		`orders.csv:8: 办理时限 "尽快" is neither`,
		`orders.csv:9: 督办标志 "也许" is not 是 or 否`,
		`orders.csv:10: 联系电话 "打我手机" is not a phone number`,
		"orders.csv:11: 诉求内容 and 标题 are both empty",
		`orders.csv:12: 办理时限 "2026-11-20" is not after`,
		"orders.csv:13: row has 4 cells but the header has 8",
	}
	if len(verr.Problems) != len(want) {
		t.Fatalf("problems:\n%v", verr)
	}
	for i, w := range want {
		if got := verr.Problems[i].String(); !strings.HasPrefix(got, w) {
			t.Errorf("problem %d = %q, want %q…", i, got, w)
		}
	}
}

func TestParseRefusesMissingColumns(t *testing.T) {
	tb, err := table.Read("orders.csv", strings.NewReader("编号x,内容\nGD1,路灯坏了\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = testParser().Parse(tb)
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 3 {
		t.Fatalf("err = %v", err)
	}
	if p := verr.Problems[0].String(); !strings.HasPrefix(p, "orders.csv:1: no column 工单编号/") || !strings.Contains(p, "the columns are: 编号x, 内容") {
		t.Errorf("problem = %q", p)
	}
}

func TestCategoryOf(t *testing.T) {
	for in, want := range map[string]taxonomy.Category{
		"城乡建设>市政管理>路灯":      taxonomy.Roads,
		"生态环境/大气污染/秸秆焚烧":    taxonomy.Pollution,
		"劳动和社会保障-劳动关系-拖欠工资": taxonomy.Dispute,
		"城乡建设>供热管理":         taxonomy.Heating,
		"卫生健康>医疗保障":         taxonomy.Health,
		"农业农村＞土地流转":         taxonomy.LandAgri,
		"城乡建设>物业管理":         taxonomy.Construction,
	} {
		if got, ok := categoryOf(in); !ok || got != want {
			t.Errorf("categoryOf(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "其他", "综合>其他事项"} {
		if got, ok := categoryOf(in); ok {
			t.Errorf("categoryOf(%q) = %q, want none", in, got)
		}
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-25 09:15:00": "2026-11-25 09:15", "2026/11/5 9:05": "2026-11-05 09:05", "2026年11月25日 9:15": "2026-11-25 09:15",
		"2026-11-25": "2026-11-25 00:00", "46351.375": "2026-11-25 09:00", " 2026-11-25  09:15 ": "2026-11-25 09:15",
	} {
		got, ok := parseTime(in, notice.Zone)
		if !ok || !got.Equal(at(want)) {
			t.Errorf("parseTime(%q) = %s %v, want %s", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "昨天", "25/11/2026", "12345"} {
		if got, ok := parseTime(bad, notice.Zone); ok {
			t.Errorf("parseTime(%q) = %s", bad, got)
		}
	}
}

// A workbook as the platform exports it: dates as date cells (read raw,
// as Excel serial numbers), header variants, a sheet of its own name.
func TestParseWorkbook(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "工单明细"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"工单编号", "受理时间", "派单时间", "来电人", "联系电话", "主要内容", "问题分类", "工单类型", "发生地址", "村/社区", "应反时间", "督办标志"},
		{"GD20261201000005", at("2026-12-01 08:10"), at("2026-12-01 08:40"), "郑大爷", 13500006666,
			"来电人反映小东营村路灯不亮，已经一周。", "城乡建设>市政管理>路灯", "求助", "东营子村委会门口", "", "3个工作日", "否"},
		{"GD20261201000016", at("2026-12-01 09:00"), at("2026-12-01 09:20"), "吴女士", "", "来电人反映石槽村有人半夜施工，噪音扰民。",
			"生态环境>噪声污染", "投诉", "石槽村", "石槽村", at("2026-12-02 18:00"), "是"},
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "orders.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	tb, err := table.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := testParser().Parse(tb)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d orders", len(got))
	}
	a, b := got[0], got[1]
	if !a.Dispatched.Equal(at("2026-12-01 08:40")) || a.Village != "小东营村" || a.Phone != "13500006666" ||
		!a.ResolveBy.Equal(at("2026-12-04 08:40")) || a.Pos.String() != path+":工单明细:2" {
		t.Errorf("first = %+v at %s", a, a.Pos)
	}
	if !b.ResolveBy.Equal(at("2026-12-02 18:00")) || !b.Supervised || b.Category != taxonomy.Pollution || b.Village != "石槽村" {
		t.Errorf("second = %+v", b)
	}
}
