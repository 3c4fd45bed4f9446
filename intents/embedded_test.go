package intents

import (
	"context"
	"errors"
	"testing"

	"hotline/taxonomy"
)

func defaultClassifier(t testing.TB) *Embedded {
	t.Helper()
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	return NewEmbedded(m, demoGazetteer(t))
}

// TestClassifyBorderline checks the taxonomy's borderline rules and the
// urgency cues on messages the corpus does not contain. Only outcomes the
// contract is unambiguous about are asserted; "" leaves a field unchecked.
func TestClassifyBorderline(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		text     string
		category taxonomy.Category
		urgency  taxonomy.Urgency
	}{
		// Two problems: the more urgent wins.
		{"停电了，我家还闻到一股煤气味", taxonomy.Safety, taxonomy.Urgent},
		// Praise plus a new fault is the fault; pure thanks is feedback.
		{"感谢上次修好路灯，不过村东头那盏又不亮了", taxonomy.Roads, taxonomy.Normal},
		{"感谢村里帮我们修好了水管", taxonomy.Feedback, taxonomy.Low},
		{"谢谢", taxonomy.Feedback, taxonomy.Low},
		{"村卫生室的大夫态度特别好", taxonomy.Feedback, taxonomy.Low},
		{"供电所的师傅挺负责，大雨天还来抢修", taxonomy.Feedback, taxonomy.Low},
		{"谢谢 回复挺快", taxonomy.Feedback, taxonomy.Low},
		{"谢谢师傅修好了热泵，不过这两天又不热了", taxonomy.Heating, taxonomy.Normal},
		// Thanks that close a request do not make it praise.
		{"电费突然翻了一倍 是不是电表有毛病 能给查查吗 谢谢", taxonomy.Power, taxonomy.Normal},
		// A suggestion with no fault is feedback.
		{"建议在村口安几个长椅", taxonomy.Feedback, taxonomy.Low},
		// A how-to question is consultation.
		{"热泵过了保修期维修要自己掏钱吗", taxonomy.Consultation, taxonomy.Low},
		{"低保怎么申请", taxonomy.Consultation, taxonomy.Low},
		// A quarrel needing mediation is dispute; loudspeakers are pollution.
		{"邻居家半夜吵架摔东西，劝了也不听，想请人来调解", taxonomy.Dispute, ""},
		{"村里大喇叭天天早上六点就开始放", taxonomy.Pollution, taxonomy.Normal},
		{"邻居家的热泵半夜嗡嗡响，吵得睡不着", taxonomy.Pollution, taxonomy.Normal},
		{"隔壁半夜还在敲敲打打", taxonomy.Pollution, ""},
		// A company's own needs are enterprise; its public fault is the fault's.
		{"我们公司新上一条生产线，需要电力增容", taxonomy.Enterprise, ""},
		{"我们厂门口的路灯坏了", taxonomy.Roads, taxonomy.Normal},
		// Cause over symptom.
		{"邻居家的树把我家墙顶裂了", taxonomy.Dispute, ""},
		{"树枝挡住了路灯", taxonomy.Forestry, ""},
		{"树枝搭在电线上冒火花", taxonomy.Power, taxonomy.Urgent},
		{"小区物业不管事，楼道灯坏了几个月", taxonomy.Construction, ""},
		{"有人把院墙砌到胡同里了，车都过不去", taxonomy.Construction, ""},
		// A vulnerable person alone without heat, water or power in bad weather.
		{"我爸一个人住，暖气坏了，今天零下十五度", taxonomy.Heating, taxonomy.Urgent},
		{"我妈一个人在家，停水两天了，这几天三十七八度", taxonomy.Water, taxonomy.Urgent},
		{"我姥爷自己在家，壁挂炉灭了打不着，这两天寒潮", taxonomy.Heating, taxonomy.Urgent},
		{"我爷爷离不开制氧机，家里停电了", taxonomy.Power, taxonomy.Urgent},
		// Greetings and no content.
		{"你好", taxonomy.Other, taxonomy.Low},
		{"在吗", taxonomy.Other, taxonomy.Low},
		{"？？？", taxonomy.Other, taxonomy.Low},
		{"", taxonomy.Other, taxonomy.Low},
		{"   ", taxonomy.Other, taxonomy.Low},
		// Urgency cues.
		{"家里有煤气味", taxonomy.Safety, taxonomy.Urgent},
		{"着火了！！！", taxonomy.Safety, taxonomy.Urgent},
		{"电线冒火花了", taxonomy.Power, taxonomy.Urgent},
		{"屋里进水了 水没过膝盖", taxonomy.Water, taxonomy.Urgent},
		{"村口两家打起来了 有人拿着刀", taxonomy.Dispute, taxonomy.Urgent},
		{"老人摔倒了起不来", "", taxonomy.Urgent},
		{"孩子掉进村东的水坑里了", "", taxonomy.Urgent},
		{"大树让风刮得快倒了，正对着我家房子", taxonomy.Forestry, taxonomy.Urgent},
		{"两家人又推又搡 拉都拉不开", taxonomy.Dispute, taxonomy.Urgent},
		// Plain faults.
		{"路灯不亮", taxonomy.Roads, taxonomy.Normal},
		{"树倒了", taxonomy.Forestry, taxonomy.Normal},
		{"垃圾好几天没人拉了", taxonomy.Sanitation, taxonomy.Normal},
		{"流转费还没到账", taxonomy.LandAgri, taxonomy.Normal},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r, err := c.Classify(context.Background(), Input{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			if tt.category != "" && r.Category != tt.category {
				t.Errorf("category = %s (%.2f), want %s", r.Category, r.Confidence, tt.category)
			}
			if tt.urgency != "" && r.Urgency != tt.urgency {
				t.Errorf("urgency = %s, want %s", r.Urgency, tt.urgency)
			}
			if r.Confidence < 0 || r.Confidence > 1 {
				t.Errorf("confidence %v outside [0,1]", r.Confidence)
			}
			if r.Source != SourceEmbedded {
				t.Errorf("source = %q", r.Source)
			}
		})
	}
}

func TestClassifyVillage(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		text, resident, want string
	}{
		{"路灯坏了", "李家店村", "李家店村"},
		{"路灯坏了", "李店", "李家店村"},
		{"路灯坏了", "火星村", ""},
		{"路灯坏了", "", ""},
		{"我妈在王各庄一个人住，暖气坏了", "李家店村", "王各庄村"},
		{"王各庄村口路灯坏了", "", "王各庄村"},
		{"你好", "翟庄", "翟各庄村"},
	}
	for _, tt := range tests {
		r, err := c.Classify(context.Background(), Input{Text: tt.text, ResidentVillage: tt.resident})
		if err != nil {
			t.Fatal(err)
		}
		if r.Village != tt.want {
			t.Errorf("Classify(%q, resident %q).Village = %q, want %q", tt.text, tt.resident, r.Village, tt.want)
		}
	}
}

func TestClassifyErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := defaultClassifier(t).Classify(ctx, Input{Text: "路灯坏了"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
	if _, err := NewEmbedded(nil, nil).Classify(context.Background(), Input{Text: "路灯坏了"}); err == nil {
		t.Error("classifier without a model did not fail")
	}
	// Without a gazetteer there is no village, and nothing breaks.
	m, _ := DefaultModel()
	r, err := NewEmbedded(m, nil).Classify(context.Background(), Input{Text: "翟各庄村停电了", ResidentVillage: "翟各庄村"})
	if err != nil || r.Village != "" || r.Category != taxonomy.Power {
		t.Errorf("nil gazetteer: %+v, %v", r, err)
	}
}

func TestCues(t *testing.T) {
	cs := newCueSet()
	tests := []struct {
		text string
		want string // cue name expected to fire; "" = none
	}{
		{"家里有煤气味", "gas"},
		{"燃气报警器一直响", "gas_leak"},
		{"没有煤气味", ""},
		{"如果闻到煤气味怎么办", ""},
		{"着火了", "fire"},
		{"没着火", ""},
		{"村里有火灾隐患", ""},
		{"电闸箱冒烟了", "smoke"},
		{"烟囱冒黑烟", ""},
		{"电线冒火花", "spark"},
		{"打火机打不着", ""},
		{"院里的水进屋了 全是水", "flood"},
		{"手机进水了", ""},
		{"路上的水已经没过膝盖", "deep_water"},
		{"两个人打起来了", "fight"},
		{"老人晕倒了", "hurt"},
		{"打了120还没来", "hurt"},
		{"墙要塌了 底下有人", "collapse_soon"},
		{"院墙快塌了", ""},
		{"去年有个小孩掉进去了", ""},
		{"孩子掉进水坑了", "person_danger"},
		{"我爸一个人住 暖气坏了 零下十五度", "alone_cold"},
		{"暖气坏了 零下十五度", ""},
		// alone_cold needs all four parts: who, what, its failing, weather.
		{"我爸自己住 壁挂炉灭了 这两天寒潮", "alone_cold"},
		{"五保户老太太家暖气片冰凉", "alone_cold"},
		{"壁挂炉灭了 这两天寒潮", ""},
		{"我爸自己住 这两天寒潮", ""},
		{"我爸自己住 壁挂炉灭了", ""},
		{"冰箱不制冷了 我爸自己住", ""},
		{"我叔一个人住 去了好几趟 敲门也没动静", "alone_helpless"},
		{"敲门没人应", ""},
		{"我爸离不开制氧机 家里停电了", "life_support"},
		{"大树快倒了 正对着我家房子", "collapse_soon"},
		{"两家人又推又搡 拉都拉不开", "fight"},
		{"冷库停电了 肉全坏了", "loss"},
		{"自来水里有股汽油味", "water_poison"},
		{"学校门口那段路结冰 已经摔了好几个孩子", "hurt_already"},
		{"这段路有点滑 怕有人摔了", ""},
		{"河边护栏缺了一块 电动车一拐就栽下去了", "open_drop"},
		{"讨薪的工人爬上塔吊了", "person_danger"},
	}
	for _, tt := range tests {
		got := cueNames(cs.find(foldCue(nil, tt.text)))
		switch {
		case tt.want == "" && len(got) > 0:
			t.Errorf("%q: cues %v fired, want none", tt.text, got)
		case tt.want != "" && !contains(got, tt.want):
			t.Errorf("%q: cues %v, want %s", tt.text, got, tt.want)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestTablesFitMasks guards the bit masks that hold lexicon groups and cues.
func TestTablesFitMasks(t *testing.T) {
	if len(lexicon) > 64 || len(cues) > 64 {
		t.Errorf("%d lexicon groups, %d cues: at most 64 each", len(lexicon), len(cues))
	}
	for _, c := range cues {
		if len(c.contexts) > 3 {
			t.Errorf("cue %s has %d contexts, at most 3", c.name, len(c.contexts))
		}
	}
}

// TestClassifyConcurrent shares one classifier between goroutines, as the
// bot does; run with -race.
func TestClassifyConcurrent(t *testing.T) {
	c := defaultClassifier(t)
	want, _ := c.Classify(context.Background(), Input{Text: "翟庄停电了", ResidentVillage: "李店"})
	done := make(chan Result)
	for range 8 {
		go func() {
			var r Result
			for range 50 {
				r, _ = c.Classify(context.Background(), Input{Text: "翟庄停电了", ResidentVillage: "李店"})
			}
			done <- r
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Errorf("concurrent result %+v, want %+v", got, want)
		}
	}
}
