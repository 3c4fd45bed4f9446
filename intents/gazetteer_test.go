package intents

import (
	"testing"

	"hotline/roster"
)

func demoGazetteer(t testing.TB) *Gazetteer {
	t.Helper()
	return NewGazetteer(roster.Demo().Villages)
}

func TestGazetteerFind(t *testing.T) {
	g := demoGazetteer(t)
	tests := []struct {
		name, text, want string
	}{
		{"full name", "翟各庄村路灯坏了", "翟各庄村"},
		{"alias", "翟庄东头停电了", "翟各庄村"},
		{"alias of a different shape", "东营子那边垃圾没人拉", "小东营村"},
		{"alias with 村 after it", "于务村口的秋千坏了", "于家务村"},
		{"community alias", "兴华小区楼道灯不亮", "兴华社区"},
		{"village without 村", "前辛庄从早上就没水了", "前辛庄村"},
		{"community without 社区", "漕运这边下水道堵了", "漕运社区"},
		{"not its neighbour", "后辛庄没电了", "后辛庄村"},
		{"west not east", "西寺庄路口积水", "西寺庄村"},
		{"east not west", "东寺庄路口积水", "东寺庄村"},
		{"小东营 not 东营子's village by accident", "小东营村的路", "小东营村"},
		{"马各庄 is not 马坊", "马各庄有线电视没信号", "马各庄村"},
		{"马坊 alias", "马坊这边停电", "小马坊村"},
		{"longest match: 小马坊村 over 马坊", "小马坊村停电", "小马坊村"},
		{"longest match: 北辛店 over 辛店", "北辛店村口", "北辛店村"},
		{"full-width text around", "（西集）那边，路灯坏了！", "西集屯村"},
		{"self-introduction loses", "我是李家店的，我妈在王各庄一个人住", "王各庄村"},
		{"self-introduction alone still counts", "我是小甸屯的 补贴没打到卡上", "小甸屯村"},
		{"first of two villages", "苏庄村到大营村的路坏了", "苏庄村"},
		{"where the problem is, not where the writer works", "我在翟各庄村上班，马各庄村口路灯坏了", "马各庄村"},
		{"the same without punctuation", "我在翟各庄村上班马各庄村口路灯坏了", "马各庄村"},
		{"where the writer goes every day", "我天天去前辛庄接孩子 路过马各庄村口 有只死猫", "马各庄村"},
		{"where the writer usually works", "我们平时在翟各庄上班 东寺庄那边的路灯全灭了", "东寺庄村"},
		{"not where the writer lives", "我家住东寺庄 西寺庄那边的垃圾站臭死了", "西寺庄村"},
		{"problem first, home after", "马各庄的垃圾站臭死了，我家就在翟各庄", "马各庄村"},
		{"not where the writer visited", "我去苏庄走亲戚 回来路过大营村 村口电线杆歪了", "大营村"},
		{"not where the writer came from", "我从白庙过来的，黑垡这边路灯全不亮", "黑垡村"},
		{"traditional characters", "於家務村口的路燈壞了", "于家务村"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := g.Find(tt.text)
			if !ok || got != tt.want {
				t.Errorf("Find(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
		})
	}
}

func TestGazetteerFindsNothing(t *testing.T) {
	g := demoGazetteer(t)
	for _, text := range []string{"", "路灯坏了", "我们村的路", "村", "庄", "马各", "寺庄", "！！！"} {
		if got, ok := g.Find(text); ok {
			t.Errorf("Find(%q) = %q, want nothing", text, got)
		}
	}
	var nilG *Gazetteer
	if got, ok := nilG.Find("翟各庄村"); ok {
		t.Errorf("nil gazetteer found %q", got)
	}
	if _, ok := NewGazetteer(nil).Find("翟各庄村"); ok {
		t.Error("empty gazetteer found a village")
	}
}

func TestGazetteerAmbiguousShortName(t *testing.T) {
	g := NewGazetteer([]roster.Village{
		{Name: "东辛庄村"}, {Name: "东辛庄社区"}, // both shorten to 东辛庄
		{Name: "王庄村"}, {Name: "大王庄村"},
		{Name: "石桥村", Aliases: []string{"桥头"}}, {Name: "桥头村"}, // 桥头 is an alias and a short name
		{Name: "营村"}, // too short to shorten
	})
	tests := []struct {
		text string
		want string // "" = none
	}{
		{"东辛庄停水了", ""},
		{"东辛庄村停水了", "东辛庄村"},
		{"东辛庄社区停水了", "东辛庄社区"},
		{"王庄路口", "王庄村"},
		{"大王庄路口", "大王庄村"},
		{"桥头那边", "石桥村"},
		{"桥头村那边", "桥头村"},
		{"营那边", ""},
		{"营村那边", "营村"},
	}
	for _, tt := range tests {
		got, _ := g.Find(tt.text)
		if got != tt.want {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestGazetteerAbout(t *testing.T) {
	g := demoGazetteer(t)
	tests := []struct {
		text, resident, want string
	}{
		{"我妈在王各庄一个人住", "李家店村", "王各庄村"},
		{"我们李家店村的老人去王各庄看病", "李家店村", "王各庄村"},
		{"李家店村的路灯坏了", "李家店村", "李家店村"},
		{"我是李家店的，王各庄路口积水", "李家店村", "王各庄村"},
		{"我住在李家店，我爸在王各庄，暖气坏了", "", "王各庄村"},
		{"路灯坏了", "李家店村", ""},
	}
	for _, tt := range tests {
		got, _ := g.about(tt.text, tt.resident)
		if got != tt.want {
			t.Errorf("about(%q, %q) = %q, want %q", tt.text, tt.resident, got, tt.want)
		}
	}
}

func TestGazetteerResolve(t *testing.T) {
	g := demoGazetteer(t)
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"翟各庄村", "翟各庄村", true},
		{"翟庄", "翟各庄村", true},
		{" 李店 ", "李家店村", true},
		{"前辛庄", "前辛庄村", true},
		{"康乐园", "康乐园社区", true},
		{"", "", false},
		{"火星村", "", false},
		{"前辛庄村口", "", false},
	}
	for _, tt := range tests {
		got, ok := g.Resolve(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestGazetteerMentionsOffsets(t *testing.T) {
	g := demoGazetteer(t)
	text := "从翟庄到小马坊村"
	ms := g.Mentions(text)
	if len(ms) != 2 {
		t.Fatalf("Mentions(%q) = %v, want 2", text, ms)
	}
	for _, m := range ms {
		if s := text[m.Start:m.End]; s != "翟庄" && s != "小马坊村" {
			t.Errorf("mention %v covers %q", m, s)
		}
	}
	if got := maskVillages(text, g); got != "从@到@" {
		t.Errorf("maskVillages = %q", got)
	}
}
