package intents

import (
	"strings"
	"unicode"
)

// An urgency cue is a sign of danger now (shared/taxonomy.md: gas, fire,
// sparks, flooding indoors, fighting, someone hurt, a vulnerable person
// without heat, water or power in bad weather). A cue fires when one of its
// words occurs, not negated or hypothetical, and, where it has contexts,
// when a word of each context occurs somewhere in the message too: sparks
// are urgent near wires, not in a kitchen lighter.
//
// Cues decide urgency with recall first (an urgent ticket missed is worse
// than a false alarm) and are also features of the model.
var cues = []struct {
	name     string
	words    string
	contexts []string
	notAfter string // a word right after one of these is not the event: 快塌了 is not 塌了
}{
	{"gas", "煤气味 燃气味 天然气味 液化气味 煤气泄漏 燃气泄漏 天然气泄漏 煤气漏了 燃气漏了 闻到煤气 闻到燃气 闻到天然气 一股煤气 一股燃气 臭鸡蛋味 煤气中毒 一氧化碳", nil, ""},
	{"gas_leak", "漏气 泄漏 跑气 嘶嘶 有味 有股味 一股味 味儿 味道 报警器响 报警器一直响 报警器叫 报警了", []string{"煤气 燃气 天然气 液化气 气罐 气瓶 管道气"}, ""},
	{"fire", "着火 起火 失火 火灾 烧起来 着起来 冒火 火苗 火光 烧着了 大火 火势 引燃 自燃 冒明火 烧了起来 火着了 点着了 火还没灭 火没灭 还在烧 烧过来", nil, ""},
	{"smoke", "冒烟 浓烟 烟雾 冒黑烟 冒白烟 烧焦 焦糊 糊味 胶皮味", []string{"电 线 插座 闸 表箱 配电 变压器 屋里 家里 房间 屋子 车里 仓库 楼道"}, ""},
	{"spark", "火花 火星 冒蓝光 噼啪 啪啪 滋滋 滋啦 吱吱 发烫 烫手 短路 拉弧", []string{"电 线 插座 闸 表 箱 变压器 开关"}, ""},
	{"shock", "触电 电着了 电着人 被电了 电到人 电到了 被电击 电死 麻手 漏电", nil, ""},
	{"wire_down", "掉地上 落地 刮断 搭在 垂到地 拖在地上 要倒 撞歪 倒了", []string{"电线 高压线 电线杆 线杆 电杆"}, ""},
	{"deep_water", "没过膝盖 没过小腿 没过腰 没过大腿 齐膝 齐腰 到膝盖 到大腿 到腰 膝盖深 半米深 一米深 没过车轮", nil, ""},
	{"flood", "漫进屋 漫进 进屋了 灌进 倒灌 没过脚脖子 没过脚面 泡在水里 全是水 进水了 水进屋 往屋里 往里灌 淹了 被淹 水淹 往下滴水 天花板滴水 呲水 喷水", []string{"屋 家 院 房 炕 地下室 车里 老人 楼 孩子"}, ""},
	{"levee", "决口 溃堤 漫过 漫堤 渗水 管涌 泡软 冲垮 冲毁", []string{"堤 坝 河 沟 渠"}, ""},
	{"water_poison", "死猪 死羊 死鱼 尸体 汽油味 柴油味 机油味 农药 化学 药味 有毒", []string{"自来水 井水 取水口 饮用水 水源 喝的水 吃水 饮水"}, ""},
	{"fight", "打起来 打架 打人 对峙 拿刀 拿着刀 持刀 菜刀 抡棍子 抡铁锹 砍人 流血 打伤 群殴 要打 掐起来 揍 动刀 抄家伙 打红眼 打成一团", nil, ""},
	{"hurt", "摔倒 跌倒 晕倒 昏倒 昏迷 不省人事 叫不醒 没意识 起不来 喘不上气 喘不过气 抽搐 中毒 受伤 骨折 大出血 心脏病 脑梗 中风 犯病 急救 打120 打了120 叫120 呼吸机 咬伤 被咬 咬人 倒在地 摔的不轻 摔得不轻 摔伤 撞伤 撞上去 砸伤", nil, ""},
	{"collapse", "塌了 倒塌 坍塌 塌方 砸到人 砸着人 墙倒 房倒 砸下来", nil, "快 要 会 能"},
	{"collapse_soon", "要塌 快塌 要倒 快倒 随时倒 随时塌", []string{"有人 底下 人在 孩子 住着 住人 过人 路过 天天过 车过 过车"}, ""},
	{"person_danger", "掉进 掉井里 落水 溺水 被困 困在 锁在 走丢 失踪 跳河 跳楼 轻生 自杀 想不开 救命 出人命 快来人 人命关天 赶紧来人 走失 找不着家 找不到家 没回来 人不见了 人丢了 孩子丢了", nil, ""},
	{"alone_cold", "一个人住 一个人在家 一个人 自己住 自己在家 独居 独自 孤寡 五保 老光棍 空巢 没人照顾 老两口 瘫 卧床 躺床上 躺炕上 手术 哮喘 残疾 病人 孕妇 婴儿 月子 在外地 不在身边 七十 八十 九十 七八十 八九十 岁数大",
		[]string{
			"没暖气 暖气停 暖气坏 暖气不热 暖气也不热 不热 停暖 不转了 坏了 停了 没热乎气 冰凉 停水 没水 喝不上 停电 没电 断电 没有电 没有水 没有暖气 用不了",
			"零下 寒潮 降温 冷得 冻 大雪 下雪 暴雪 冰窖 哆嗦 结冰 刮大风 高温 中暑 热死 热得 三十多度 三十七八度 四十度 35度 36度 37度 38度 39度 40度 桑拿 闷热 暴雨",
		}, ""},
	{"loss", "报废 全完了 全坏了 全花了 全废了 冻死 热死 死了", []string{"停电 断电 没电 停水 没水 跳闸"}, ""},
	{"alarm", "紧急 急急急 急!! 十万火急", nil, ""},
}

// Words that, just before a cue word, say it is absent: 没着火.
var negators = []string{"没有", "没", "不", "无", "别", "未", "不会", "防"}

// Words that, earlier in the same clause, make a cue hypothetical or a
// worry rather than an event: 如果闻到煤气味怎么办, 怕着火.
var hypotheticals = []string{"如果", "万一", "假如", "要是", "若", "预防", "防止", "以防", "避免", "怕", "担心", "会不会", "容易", "小心", "注意", "演练", "宣传",
	"去年", "前年", "以前", "上次", "上回", "那年", "曾经", "差点", "幸亏", "好在"}

// Words that, right after a cue word, make it a hazard rather than an
// event: 火灾隐患.
var hazardSuffixes = []string{"隐患", "风险", "演练", "知识", "宣传", "器材", "通道", "预案", "安全"}

// cueSet finds urgency cues. Matching runs on lightly folded text (width
// and case only) so that numbers such as 120 survive. Masks are uint64 and
// roles two bits, so there can be at most 64 cues with 3 contexts each (a
// test checks).
type cueSet struct {
	words dict // value = cue<<2 | role (0 word, 1.. context)
}

func newCueSet() *cueSet {
	c := &cueSet{}
	for i, cu := range cues {
		for _, w := range strings.Fields(cu.words) {
			c.words.add(string(foldCue(nil, w)), int32(i<<2))
		}
		for j, ctx := range cu.contexts {
			for _, w := range strings.Fields(ctx) {
				c.words.add(string(foldCue(nil, w)), int32(i<<2|(j+1)))
			}
		}
	}
	return c
}

// foldCue appends s to dst with width and case folded and every separator
// mapped to sepRune, keeping digits.
func foldCue(dst []rune, s string) []rune {
	rs := dst
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= '０' && r <= '９' {
			if r >= '０' {
				r -= 0xFEE0
			}
			rs = append(rs, r)
			continue
		}
		rs = append(rs, foldRune(r))
	}
	return rs
}

// find returns a bit mask of the cues that fire in text (bit i = cues[i]).
func (c *cueSet) find(text []rune) uint64 {
	var words uint64
	var ctx [3]uint64 // ctx[j]: cues whose context j occurred
	c.words.each(text, func(start, end int, val int32) {
		cue, role := val>>2, val&3
		switch {
		case role > 0:
			ctx[role-1] |= 1 << cue
		case live(text, start, end, cues[cue].notAfter):
			words |= 1 << cue
		}
	})
	var fired uint64
	for i, cu := range cues {
		if words&(1<<i) == 0 {
			continue
		}
		ok := true
		for j := range cu.contexts {
			ok = ok && ctx[j]&(1<<i) != 0
		}
		if ok {
			fired |= 1 << i
		}
	}
	return fired
}

// live reports whether the cue word at text[start:end] is asserted: not
// negated or qualified right before it, not in a hypothetical or past
// clause, not a hazard.
func live(text []rune, start, end int, notAfter string) bool {
	before := clauseBefore(text, start)
	for _, n := range negators {
		if hasSuffixRunes(before, n) {
			return false
		}
	}
	for _, n := range strings.Fields(notAfter) {
		if hasSuffixRunes(before, n) {
			return false
		}
	}
	for _, h := range hypotheticals {
		if strings.Contains(string(before), h) {
			return false
		}
	}
	after := string(text[end:min(len(text), end+3)])
	for _, s := range hazardSuffixes {
		if strings.HasPrefix(after, s) {
			return false
		}
	}
	return true
}

// clauseBefore returns up to 12 runes before start, cut at the last clause
// boundary.
func clauseBefore(text []rune, start int) []rune {
	from := max(0, start-12)
	for i := start - 1; i >= from; i-- {
		if text[i] == sepRune || text[i] == '!' || text[i] == '?' || unicode.IsPunct(text[i]) {
			return text[i+1 : start]
		}
	}
	return text[from:start]
}

func hasSuffixRunes(s []rune, suffix string) bool {
	rs := []rune(suffix)
	return len(s) >= len(rs) && string(s[len(s)-len(rs):]) == suffix
}

// cueNames lists the names of the cues in a mask, for explanations.
func cueNames(mask uint64) []string {
	var out []string
	for i, cu := range cues {
		if mask&(1<<i) != 0 {
			out = append(out, cu.name)
		}
	}
	return out
}
