package intents

import (
	"slices"
	"strings"
	"sync"

	"hotline/taxonomy"
)

// EmergencyKind is one of the few life-safety situations that get advice
// and the number to call before anything else (issue 10).
type EmergencyKind string

// The emergencies. Each has its ticket category in emergencyKinds.
const (
	EmergencyGas        EmergencyKind = "gas"         // gas smell or leak, carbon monoxide
	EmergencyFire       EmergencyKind = "fire"        // fire or smoke
	EmergencyElectric   EmergencyKind = "electric"    // electrocution, a live wire down, a wire sparking
	EmergencyPersonDown EmergencyKind = "person_down" // someone fallen and unable to rise, or unconscious
	EmergencyDrowning   EmergencyKind = "drowning"    // someone in the water or down a well
	EmergencyMissing    EmergencyKind = "missing"     // a child or a vulnerable person missing
	EmergencyCollapse   EmergencyKind = "collapse"    // a building, wall, roof or road collapsed
	EmergencyViolence   EmergencyKind = "fight"       // a violent fight, a weapon, blood
)

// Emergency is a life-safety situation found in a message.
type Emergency struct {
	Kind EmergencyKind
	// Category is the ticket category the taxonomy gives it; Classify keeps
	// the model's category instead when it is one of Allowed.
	Category taxonomy.Category
	Word     string // the words that were recognised, for logs and tests
}

// emergencyKind is how one kind is recognised and filed. Kinds are tried
// in order and the first that fires wins: a fire with someone hurt is a
// fire; a fight where someone was knocked down is a fight.
type emergencyKind struct {
	kind     EmergencyKind
	category taxonomy.Category // the default category
	// keep lists the other categories the model may choose instead, each
	// with words one of which the message must hold for it ("" none): a
	// fire is forestry only among trees, power only at the wires.
	keep  map[taxonomy.Category]string
	signs []emergencySign
	// over are the words after a sign that say it is over: 火灭了, 找到了.
	over string
}

// emergencySign is a word that, asserted (not negated, hypothetical or
// long past) and with a word of each context somewhere in the message,
// means the emergency. notAfter words right before the sign make it a
// hazard (快塌了).
type emergencySign struct {
	words    string
	contexts []string
	notAfter string
	// near, when set, wants each context within that many runes of the
	// sign (before it only, with before): "冒烟" counts next to 屋里 or
	// 楼道, not because 家 appears three clauses away.
	near   int
	before bool
	// short lets the sign fire without its contexts in a message of at
	// most shortMessage runes: "打架了 村口" is a report from the spot.
	short bool
	// unless are words that, within unlessNear runes before the sign,
	// say it is about a thing: 钱包找不着了 is no missing person, whoever
	// lost it.
	unless string
}

// unlessNear is how far before a sign its unless words are looked for.
const unlessNear = 8

// things are what an old man or a child loses that is not themselves.
// Not 钱 or 东西: "没带钱 出门就找不着了", "出门买东西 到现在找不着人" are
// people missing.
const things = "钥匙 钱包 手机 存折 卡 证 狗 猫 眼镜 快递 电动车 自行车 包裹 户口本"

// shortMessage is the length, in runes, up to which a message is a report
// from the spot rather than a story.
const shortMessage = 10

// people are words for a person, for signs that need one (起不来 of a car,
// 不见了 of a bin are no emergency).
const people = "老人 老太太 老头 老爷子 老太 大爷 大娘 大妈 奶奶 爷爷 姥姥 姥爷 我妈 我爸 我娘 我爹 老伴 老头子 老婆子 老太婆 婆婆 公公 老父亲 老母亲 孩子 小孩 孩儿 儿子 闺女 女儿 媳妇 丈夫 工人 学生 婴儿 男的 女的 小伙 老汉 老两口 痴呆 糊涂"

// confused are words for someone who may not find their way home.
const confused = "糊涂 痴呆 迷糊 失智 认不得路 不认路 不认得路 记不住事 脑子不好 脑子不清楚 脑子不清醒 智力"

// unable are words for someone hurt or unable to get up after a fall.
const unable = "起不来 爬不起来 动不了 不能动 叫不醒 没反应 流血 出血 喊疼 直叫唤 扶不起来 站不起来 扶不动 头破 骨折 晕 不说话 躺在地上 躺地上 快来 快点 来人 救命 怎么办 打120 叫120 120"

var emergencyKinds = []emergencyKind{
	{EmergencyFire, taxonomy.Safety, keep{taxonomy.Forestry: "林 树 山 草 坟 苗圃 杨絮 柳絮", taxonomy.Power: "电 变压器 配电 插座 开关 闸",
		taxonomy.Pollution: "垃圾 秸秆 烧荒 塑料 焚烧 橡胶 烧纸"}, []emergencySign{
		{words: "着火 起火 失火 火灾 烧起来 着起来 火苗 着大火 起大火 火很大 火好大 火特别大 火势 冒明火 有明火 烧着了 火着了 点着了 火还没灭 火没灭 还在烧 烧过来 烧到房 火光 引着 火往 烟雾报警器响 烟感响 还在冒烟 复燃 冒火了",
			notAfter: "一"},
		{words: "冒烟 浓烟 冒黑烟 冒白烟 烟很大 烟特别大 全是烟 满屋子烟 烧焦味 焦糊味 糊味", notAfter: "烟囱",
			contexts: []string{"屋 家里 房子 房间 楼 车 仓库 厂房 插座 电线 配电 电表 电箱 厨房 窗户 地下室 楼道 单元 门缝 林 山 树林 柴火垛 草垛 柴垛 麦秸垛 变压器"}, near: 8},
		{words: "着了", contexts: []string{"房 柴火垛 草垛 柴垛 麦秸垛 车 屋 仓库 厂房 树林 林子 山 电线 变压器 电表箱"}, near: 6, before: true},
	}, "灭了 扑灭 已经灭 浇灭 没事了 已经没事 处理完了 火灭 的新闻"},
	{EmergencyGas, taxonomy.Safety, keep{taxonomy.Pollution: "厂 工厂 化工 车间", taxonomy.Heating: "暖气 炉 壁挂炉"}, []emergencySign{
		{words: "煤气味 燃气味 天然气味 液化气味 煤气泄漏 燃气泄漏 天然气泄漏 液化气泄漏 煤气漏了 燃气漏了 天然气漏了 煤气漏气 燃气漏气 闻到煤气 闻到燃气 闻到天然气 闻到液化气 一股煤气 一股燃气 煤气中毒 煤烟中毒 中煤气 一氧化碳中毒 一氧化碳超标 一氧化碳报警器响 一氧化碳报警器叫 一氧化碳报警器一直响 一氧化碳报警了 燃气报警器响 燃气报警器一直响 燃气报警器叫"},
		{words: "臭鸡蛋味 漏了 漏气 泄漏 跑气 嘶嘶 有味 有股味 一股味 味儿 味道 报警器响 报警器一直响 报警器叫 报警了 关不上",
			contexts: []string{"煤气 燃气 天然气 液化气 气罐 煤气罐 气瓶 管道气 燃气表 燃气灶 煤气灶 壁挂炉 燃气管"}, near: 12},
	}, "没味了 没有味了 味散了 味没了 修好了 处理完了 没事了 天天 每天 一个月 好几个月 一到晚上 经常 老是"},
	{EmergencyElectric, taxonomy.Power, keep{taxonomy.Safety: "电动车 电瓶 充电", taxonomy.Sanitation: "老鼠 耗子"}, []emergencySign{
		{words: "触电 电着了 电着人 被电了 电到人 电到了 被电击 电死 电倒了 电人"},
		{words: "掉地上 掉下来 落地 刮断 断了 搭在 垂到地 拖在地上 倒了 砸 掉在", contexts: []string{"电线 高压线 电缆 线杆 电线杆 火线"}, near: 10},
		{words: "火花 打火 冒火星 火星子 冒蓝光 噼啪 滋滋 滋啦 拉弧", contexts: []string{"电线 电线杆 变压器 电表 电箱 配电箱 插座 线头 电闸 高压线 电缆"}, near: 10},
		{words: "漏电 带电", contexts: []string{"麻 电人 电着 电了一下 打手 水里 门 铁 墙"}, near: 10},
	}, "修好了 处理完了 没事了 断电了"},
	{EmergencyDrowning, taxonomy.Safety, keep{taxonomy.Water: "洪 发水 大水 河道 水库 冲走"}, []emergencySign{
		{words: "落水 溺水 淹着了 被水冲走 淹死"},
		{words: "掉水里 掉河里 掉进河 掉进水 掉井里 掉进井 掉池塘 掉进池塘 掉鱼塘 掉进鱼塘 掉冰窟窿 掉进冰窟窿 掉进水坑 掉水坑 冲走了 沉下去",
			contexts: []string{people + " 有人 人 谁家"}, near: 12, before: true},
		{words: "没上来 没浮上来 没露头", contexts: []string{"河 塘 井 水 坑 冰"}},
		{words: "救命", contexts: []string{"水 河 塘 井 坑 冰"}},
	}, "救上来了 捞上来了 拉上来了 没事了 爬上来了"},
	{EmergencyCollapse, taxonomy.Safety, keep{taxonomy.Construction: "工地 架子 违建 拆 施工 脚手架", taxonomy.Roads: "路 桥 道 窟窿 坑", taxonomy.Water: "雨 洪 河 泡 水", taxonomy.Welfare: "低保 困难户 没钱 救助 补助",
		taxonomy.Forestry: "树", taxonomy.Sanitation: "厕 垃圾 化粪池 粪池", taxonomy.LandAgri: "大棚 棚", taxonomy.Power: "电线杆 线杆"}, []emergencySign{
		{words: "房倒了 墙倒了 房子倒了 屋子倒了 楼倒了 院墙倒了 围墙倒了 屋顶塌 房顶塌 砸到人 砸着人 砸伤 压着人 压住人 压住了人 压在下面 埋了人 人被埋", notAfter: "快 要 会 能 怕 就 等"},
		{words: "塌了 倒塌 坍塌 塌方 塌下来", notAfter: "快 要 会 能 怕 就 往下",
			contexts: []string{"房 墙 屋 顶 楼 桥 架子 窑 人 车 掉进"}, near: 12},
		{words: "要塌 快塌 要倒 快倒 随时倒 随时塌", contexts: []string{"有人 底下 人在 住着 住人 里面还 里边还 屋里还 孩子"}},
	}, "没伤着人 没砸着人 没人受伤 没有人受伤 人没事 修好了 没事了 一半 一截 一块 一个角 好多年 好几年 废弃"},
	{EmergencyViolence, taxonomy.Dispute, nil, []emergencySign{
		{words: "动刀 拿刀 拿着刀 持刀 砍人 捅人 打伤 群殴 抡棍子 抡铁锹 拿着棍子 拿着铁锹 往死里打 打红眼 抄家伙 扭打 打成一团 拉不开 拉都拉不开",
			notAfter: "别"},
		{words: "流血 见血 头破血流", contexts: []string{"打人 打伤 被打 打得 挨打 动手 砍 捅 刀 棍 揍 干起来 打起来 打架 群殴"}},
		{words: "动手了", notAfter: "要 快 差点 别 都快 没"},
		{words: "打起来 打架 打人 掐起来 干起来 家暴 推搡 菜刀", notAfter: "别 都快", short: true,
			contexts: []string{"快来 快点 来人 救命 赶紧 正在 现在 还在 报警 110 吓人 拦不住 劝不住 在哭 眼看 拿着 棍 刀 铁锹 砖头"}},
	}, "拉开了 劝开了 没事了 已经走了 散了"},
	{EmergencyPersonDown, taxonomy.Welfare,
		// Cause over symptom: an old man without heat who cannot breathe is
		// heating; a woman pushed over in a fight is dispute.
		keep{taxonomy.Health: "", taxonomy.Heating: "暖 冷 冻 炉 热泵", taxonomy.Water: "水", taxonomy.Power: "电", taxonomy.Pollution: "烟 味 熏 呛 粉尘 灰",
			taxonomy.Dispute: "打 推 吵 骂", taxonomy.Safety: "炉 煤 燃气 煤气", taxonomy.Roads: "路 道 雪 冰 滑"}, []emergencySign{
			{words: "晕倒 昏倒 昏迷 不省人事 叫不醒 没意识 晕过去 昏过去 没呼吸 不喘气 喘不上气 抽搐 口吐白沫 心梗 脑梗 中风 心脏病犯了 人不行了 倒地不起",
				notAfter: "狗 猫 羊 猪 牛 鸡 马 得人 得 的人"},
			{words: "摔倒 跌倒 摔了一跤 摔地上 滑倒 绊倒 栽倒 倒地 摔下来 掉下来 掉下去", contexts: []string{unable}, near: 16, notAfter: "狗 猫 羊 猪 牛 鸡"},
			{words: "没反应 动不了 倒在地上 躺在地上", contexts: []string{people}, near: 10},
		}, "醒了 醒过来 抢救过来 送医院了 没事了 扶起来了 后遗症 卧床 瘫 好几年 脱离危险"},
	{EmergencyMissing, taxonomy.Welfare, keep{taxonomy.Safety: "河 塘 井 水库 游泳", taxonomy.Water: "河 塘 井 水库 游泳"}, []emergencySign{
		{words: "孩子丢了 孩子不见了 孩子找不到了 孩子找不着了 孩子没了 被拐 被人抱走"},
		{words: "找不着了 找不到了 不见了 人丢了", contexts: []string{people}, near: 4, before: true, unless: things},
		// Someone who cannot find their way (糊涂, 痴呆) went out and is
		// gone: 俺爹有点糊涂 早上出门就找不着了.
		{words: "找不着了 找不到了 找不见了 找不着人 找不到人 没影了 不见了 人丢了", contexts: []string{confused, "出门 出去 出的门 走了 溜达 遛弯 赶集 一转身 一转眼 开门 上街"},
			near: 20, before: true, unless: things},
		{words: "走丢 走失 失踪 找不着家 找不到家", contexts: []string{people}, near: 16, before: true},
		{words: "没回来 没回家", contexts: []string{people}, near: 20, before: true},
	}, "找到了 找着了 找回来了 回来了 回家了 送回来了"},
}

// keep is emergencyKind.keep.
type keep = map[taxonomy.Category]string

// emergencyTable indexes every sign word: value = kind<<8 | sign<<2 | role,
// role 0 a sign word, 1..3 a context.
type emergencyTable struct {
	words dict
}

var defaultEmergencyTable = sync.OnceValue(func() *emergencyTable {
	t := &emergencyTable{}
	for k, ek := range emergencyKinds {
		for s, sign := range ek.signs {
			for _, w := range strings.Fields(sign.words) {
				t.words.add(w, int32(k<<8|s<<2))
			}
			for c, ctx := range sign.contexts {
				for _, w := range strings.Fields(ctx) {
					t.words.add(w, int32(k<<8|s<<2|(c+1)))
				}
			}
		}
	}
	return t
})

// DetectEmergency finds a life-safety situation in a message, with recall
// first: a sign counts unless it is negated (没着火), a worry or a
// hypothetical (我担心会着火, 万一漏电), a hazard (火灾隐患), long past (去年着火),
// or told as over (昨天着火了，已经灭了). The text is normalised first, so
// traditional characters, pinyin and dialect are read too.
func DetectEmergency(text string) (Emergency, bool) {
	return detectEmergency(Normalize(text))
}

// detectEmergency works on normalised text.
func detectEmergency(norm string) (Emergency, bool) {
	rs := foldCue(nil, norm)
	type hit struct {
		kind, sign int
		start, end int
	}
	var signs, ctx []hit // ctx: where each context word occurs, sign = its context index
	defaultEmergencyTable().words.each(rs, func(start, end int, val int32) {
		k, s, role := int(val>>8), int(val>>2&63), int(val&3)
		if role > 0 {
			ctx = append(ctx, hit{k, s<<2 | (role - 1), start, end})
			return
		}
		signs = append(signs, hit{k, s, start, end})
	})
	if len(signs) == 0 {
		return Emergency{}, false
	}
	contextAt := func(k, s, c int) [][2]int {
		var at [][2]int
		for _, h := range ctx {
			if h.kind == k && h.sign == s<<2|c {
				at = append(at, [2]int{h.start, h.end})
			}
		}
		return at
	}
	for k, ek := range emergencyKinds {
		for _, h := range signs {
			if h.kind != k {
				continue
			}
			sign := ek.signs[h.sign]
			ok := live(rs, h.start, h.end, sign.notAfter) && !told(rs, h.end, ek.over) && !whatIf(rs, h.start, h.end) &&
				!about(rs, h.start, sign.unless)
			for c := range sign.contexts {
				ok = ok && (sign.short && len(rs) <= shortMessage || sign.nearSign(contextAt(k, h.sign, c), h.start, h.end))
			}
			if ok {
				return Emergency{Kind: ek.kind, Category: ek.category, Word: string(rs[h.start:h.end])}, true
			}
		}
	}
	return Emergency{}, false
}

// near_ reports whether one of the context occurrences at is close enough
// to the sign at [start, end).
func (s emergencySign) nearSign(at [][2]int, start, end int) bool {
	for _, a := range at {
		switch {
		case s.near == 0:
			return true
		case a[1] <= start && start-a[1] <= s.near:
			return true
		case !s.before && a[0] >= end && a[0]-end <= s.near:
			return true
		case a[0] < end && a[1] > start: // overlapping the sign: 电线 in 电线打火
			return true
		}
	}
	return false
}

// about reports whether one of words comes within unlessNear runes
// before the sign at start.
func about(rs []rune, start int, words string) bool {
	before := string(rs[max(0, start-unlessNear):start])
	for _, w := range strings.Fields(words) {
		if strings.Contains(before, w) {
			return true
		}
	}
	return false
}

// whatIfTails are questions that, right after a sign told without 了,
// ask what would happen: 有人掉下去怎么办, 摔下去谁负责.
var whatIfTails = []string{"怎么办", "可怎么办", "咋办", "可咋办", "谁负责", "谁管", "算谁的", "谁担责"}

// hazards are things whose danger a resident reports by asking what if
// someone fell: an open manhole, a hole, a broken railing.
const hazards = "井盖 坑 护栏 栏杆 窟窿 豁口 井口 沟 台阶 楼梯 冰面"

// whatIf reports whether the sign at [start, end) is asked about as a
// possibility rather than told as an event: said without 了 and followed
// by "怎么办" or "谁负责", of someone unnamed (有人, 谁) or beside a hazard
// the message names. "门口井盖没了 晚上有人掉下去怎么办" is a report of the
// missing cover; "井盖没了 我爸掉下去了 怎么办" and "我妈晕倒 怎么办" are
// emergencies.
func whatIf(rs []rune, start, end int) bool {
	after := string(rs[end:])
	tail := false
	for _, w := range whatIfTails {
		tail = tail || strings.HasPrefix(after, w)
	}
	if !tail {
		return false
	}
	before := string(clauseBefore(rs, start))
	if strings.Contains(before, "有人") || strings.Contains(before, "谁") {
		return true
	}
	for _, w := range strings.Fields(hazards) {
		if strings.Contains(string(rs), w) {
			return true
		}
	}
	return false
}

// told reports whether, after the sign, the message says it is over, or
// talks of what would happen (着火了都跑不出去 is about the blocked stairs).
func told(rs []rune, end int, over string) bool {
	rest := string(rs[end:])
	for _, w := range strings.Fields(over) {
		if strings.Contains(rest, w) {
			return true
		}
	}
	clause := rest
	if i := strings.IndexAny(clause, "|!?。,， "); i >= 0 {
		clause = clause[:i]
	}
	// "着火了都跑不出去": even if it happened.
	if strings.HasPrefix(strings.TrimPrefix(clause, "了"), "都") {
		return true
	}
	// What would happen, a time long gone, the person who did it.
	for _, w := range []string{"的事", "的话", "都跑不", "都出不", "都进不来", "就完了", "可就", "往哪跑", "那回", "那次", "那年", "那阵", "的时候", "多亏", "幸亏", "的那", "的人"} {
		if strings.Contains(clause, w) {
			return true
		}
	}
	// A drill, a talk or a poster is about fires, not a fire.
	for _, w := range []string{"演练", "培训", "讲座", "科普", "宣传"} {
		if strings.Contains(string(rs), w) {
			return true
		}
	}
	return false
}

// emergencyCategory is the category for an emergency in the normalised
// text given the model's choice: the model's when the kind keeps it, the
// kind's own otherwise.
func emergencyCategory(em Emergency, model taxonomy.Category, norm string) taxonomy.Category {
	for _, ek := range emergencyKinds {
		if ek.kind != em.Kind {
			continue
		}
		words, ok := ek.keep[model]
		if ok && (words == "" || slices.ContainsFunc(strings.Fields(words), func(w string) bool { return strings.Contains(norm, w) })) {
			return model
		}
	}
	return em.Category
}
