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
	{"flood", "漫进屋 漫进 流进 流到屋里 流到院里 进屋了 灌进 倒灌 没过脚脖子 没过脚面 泡在水里 全是水 进水了 水进屋 往屋里 往里灌 淹了 被淹 水淹 往下滴水 天花板滴水 呲水 喷水 泡上了 泡着了 反水",
		[]string{"屋 家 院 房 炕 地下室 车里 老人 楼 孩子 车间 厂房 仓库 库房 店里 铺子 机器 设备"}, ""},
	{"levee", "决口 溃堤 漫过 漫堤 渗水 管涌 泡软 冲垮 冲毁", []string{"堤 坝 河 沟 渠"}, ""},
	{"water_poison", "死猪 死羊 死鱼 尸体 汽油味 柴油味 机油味 农药 化学 药味 有毒", []string{"自来水 井水 取水口 饮用水 水源 喝的水 吃水 饮水"}, ""},
	{"fight", "打起来 打架 打人 对峙 拿刀 拿着刀 持刀 菜刀 抡棍子 抡铁锹 砍人 流血 打伤 群殴 要打 掐起来 揍 动刀 抄家伙 打红眼 打成一团 又推又搡 拉不开 拉都拉不开 扭打 撕扯 薅头发 拽头发 推倒", nil, ""},
	{"hurt", "摔倒 跌倒 晕倒 昏倒 昏迷 不省人事 叫不醒 没意识 起不来 喘不上气 喘不过气 抽搐 中毒 受伤 骨折 大出血 心脏病 脑梗 中风 犯病 急救 打120 打了120 叫120 呼吸机 咬伤 被咬 咬人 咬出血 疯狗 见人就咬 倒在地 摔的不轻 摔得不轻 摔伤 撞伤 撞上去 砸伤", nil, ""},
	{"collapse", "塌了 倒塌 坍塌 塌方 砸到人 砸着人 墙倒 房倒 砸下来 砸房 压着房 压房 砸穿", nil, "快 要 会 能"},
	{"collapse_soon", "要塌 快塌 要倒 快倒 随时倒 随时塌 随时要掉 要掉下来 快掉下来 要砸下来 快砸下来", []string{"有人 底下 人在 孩子 住着 住人 过人 路过 天天过 车过 过车 正对着 冲着 朝着我家 我家房 房子上 屋顶上 房顶上 里边住 里头住 屋里还"}, ""},
	// People have already been hurt where the hazard still is: the next
	// one may be worse.
	{"hurt_already", "摔了好几个 摔了好几回 摔了好几次 摔了几个 摔了俩 摔了一个 摔了人 滑倒了好几个 已经摔了 又摔了 摔破了 摔骨折", nil, ""},
	// An open drop over water or a pit where people pass in the dark.
	{"open_drop", "掉下去 栽下去 掉河里 掉沟里 掉坑里 掉下去了 栽下去了 翻下去", []string{"护栏 栏杆 豁口 没盖 井盖 桥 河 坑 沟 崖"}, ""},
	{"person_danger", "往楼上爬 爬上楼顶 爬到楼顶 站在楼顶 爬塔吊 爬上塔吊 要往下跳 要跳 掉进 掉井里 落水 溺水 被困 困在 锁在 关在电梯 电梯里关着 里边关着 里面关着 关在里边 关在里面 走丢 失踪 跳河 跳楼 轻生 自杀 想不开 不想活 活着没意思 喝药 救命 出人命 快来人 人命关天 赶紧来人 走失 找不着家 找不到家 没回来 人不见了 人丢了 孩子丢了", nil, ""},
	// A vulnerable person without heat, water or power in bad weather is a
	// conjunction of four things, each said in many ways: someone old, ill
	// or alone; a heater, tap or supply; its failing; and cold, heat or a
	// storm (or the person saying they are cold). Each is a short list, so
	// the cue covers their combinations rather than a list of phrasings.
	{"alone_cold", vulnerable,
		[]string{
			"暖气 供暖 热泵 空气能 空气源 外机 锅炉 壁挂炉 电暖 地暖 炉子 炕 热风 热乎 热气 电 水",
			"停了 停电 停水 停暖 断电 断水 没电 没水 没暖 没热 没有电 没有水 没有暖 坏了 坏啦 不热 不出 不转 不动 不启动 不好使 不管用 用不了 罢工 趴窝 冰凉 凉的 凉了 冻住 冻上 冻裂 结冰 结了 跳闸 掉闸 灭了 喝不上 没法用 热乎气没有 没热乎气 没有热乎 一点热气",
			"零下 寒潮 降温 变天 冷得 冷死 好冷 太冷 真冷 挺冷 很冷 说冷 喊冷 冷啊 冷了 冷的 冰冷 冰凉 冻得 冻坏 冻病 冻感冒 冻僵 冻死 冻哭 这么热 大热天 天热 热的天 大雪 下雪 暴雪 冰窖 哆嗦 结冰 大风 高温 中暑 热死 热得 三十多度 三十七八度 四十度 35度 36度 37度 38度 39度 40度 桑拿 闷热 暴雨 大雨 台风 三九 数九",
		}, ""},
	// Someone who lives alone and has not eaten, or has not been seen and
	// does not open the door, may be lying hurt inside.
	{"alone_helpless", "没吃上饭 吃不上饭 没饭吃 没吃的 断顿 米面都没了 饿了好几天 天没出门 敲门没人 没人应 敲门也没动静 没人开门 " +
		"电话没人接 电话打不通 电话没打通 没打通 打不通了 联系不上 联系不到 没人接 不接电话 关机了 视频没人接 好几天没见 几天没见着 没见着人 没见出门",
		[]string{vulnerable}, ""},
	// Someone kept alive by a machine or by clean water is in danger as
	// soon as the power or water stops, whatever the weather.
	{"life_support", "制氧机 呼吸机 透析 腹透 吸氧 氧气瓶", []string{"停电 断电 没电 停水 没水 断水 停了"}, ""},
	{"loss", "报废 全完了 全坏了 全花了 全废了 冻死 热死 死了", []string{"停电 断电 没电 停水 没水 跳闸"}, ""},
	{"alarm", "紧急 急急急 急!! 十万火急", nil, ""},
}

// vulnerable are words for someone old, ill, disabled, very young or
// alone, who cannot help themselves when the heat or water goes.
const vulnerable = "一个人住 一个人在家 一个人 自己住 自己在家 独居 独自 孤寡 五保 老光棍 空巢 没人照顾 老两口 瘫 卧床 躺床上 躺炕上 手术 哮喘 残疾 病人 孕妇 婴儿 月子 刚出生 吃奶 在外地 不在身边 七十 八十 九十 七八十 八九十 岁数大 年纪大 上了年纪 腿脚不好 行动不便 轮椅 透析 腹透 吸氧 制氧机"

// Words that, just before a cue word, say it is absent: 没着火.
var negators = []string{"没有", "没", "不", "无", "别", "未", "不会", "防", "真"}

// Words that, earlier in the same clause, make a cue hypothetical or a
// worry rather than an event: 如果闻到煤气味怎么办, 怕着火.
var hypotheticals = []string{"如果", "万一", "假如", "要是", "若", "预防", "防止", "以防", "避免", "怕", "担心", "会不会", "容易", "小心", "注意", "演练", "宣传",
	"真要", "这要", "一旦", "哪天", "到时候", "早晚", "迟早", "别等", "听说", "每年", "前些年", "前几年",
	"去年", "前年", "以前", "上次", "上回", "那年", "曾经", "差点", "幸亏", "好在", "上个月", "上星期", "上礼拜", "上周"}

// Words that, right after a cue word, make it a hazard rather than an
// event: 火灾隐患.
var hazardSuffixes = []string{"隐患", "风险", "演练", "知识", "宣传", "器材", "通道", "预案", "安全"}

// probably drops 怕是 and 恐怕, which mean "probably", not "afraid that".
var probably = strings.NewReplacer("怕是", "", "恐怕", "")

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
	clause := probably.Replace(string(before))
	for _, h := range hypotheticals {
		if strings.Contains(clause, h) {
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
