package sameproblem

// The words the matcher knows: what a report is about (the thing at
// fault, in groups of words people use for it) and where in the village.
// A problem is the same only when both reports name the same thing; the
// groups say whether that thing covers the village (an outage) or stands
// at one spot (a light, a manhole), and whether it belongs to one
// household (a meter, a heat pump), which is never shared.

// scope is how far a thing's fault reaches.
type scope int

const (
	point     scope = iota // one spot: reports must agree on where
	wide                   // the village or a stretch of it: where may be left unsaid
	household              // one home: never the same problem for two requesters
)

type group struct {
	id    string
	scope scope
	words []string
}

var groups = []group{
	// Roads and lighting.
	{"light", point, []string{"路灯", "灯杆", "灯泡", "照明", "灯"}},
	{"traffic_light", point, []string{"红绿灯", "信号灯"}},
	{"surface", point, []string{"坑洼", "坑坑洼洼", "塌陷", "路面", "大坑", "坑", "塌", "破损", "裂缝", "压坏", "洞"}},
	{"manhole", point, []string{"井盖"}},
	{"bump", point, []string{"减速带"}},
	{"rail", point, []string{"栏杆"}},
	{"ice", wide, []string{"结冰", "冰", "积雪", "雪", "太滑"}},
	{"bus_stop", point, []string{"站牌", "候车亭"}},
	{"bus_service", wide, []string{"公交车", "班次", "等车"}},
	{"narrow", point, []string{"太窄", "会车"}},
	// Power.
	{"outage", wide, []string{"停电", "断电", "没电", "来电"}},
	{"voltage", wide, []string{"电压", "一闪一闪", "带不动"}},
	{"wire", point, []string{"电线杆", "电线", "线杆"}},
	{"transformer", point, []string{"变压器"}},
	{"meter", household, []string{"电表"}},
	{"breaker", household, []string{"跳闸"}},
	{"bill", wide, []string{"电费", "暖气费", "水费"}},
	// Water.
	{"no_water", wide, []string{"停水", "没水", "没有自来水", "不来水", "没来水", "一滴水"}},
	{"water_quality", wide, []string{"发黄", "浑浊", "怪味", "漂白粉", "是黄的", "水质"}},
	{"pipe", point, []string{"水管", "管道", "爆管", "冒水", "漏水", "漏了"}},
	{"drain", point, []string{"排水沟", "水沟", "下水道", "下水", "返水", "积水", "堵"}},
	// Sanitation.
	// Collection is the village's service: a full bin anywhere is the
	// same missed round, unless the reports say different places.
	{"garbage", wide, []string{"垃圾桶", "垃圾箱", "清运", "没人收", "没人拉", "垃圾"}},
	{"dumping", point, []string{"乱倒", "倾倒", "建筑垃圾"}},
	{"toilet", point, []string{"公厕", "厕所"}},
	{"dog", point, []string{"流浪狗", "野狗", "狗"}},
	{"dead_animal", point, []string{"死猫", "死狗", "死老鼠", "死鸡", "死了只", "死了条", "死了一只", "死了一条"}},
	// Pollution.
	{"burning", point, []string{"秸秆", "焚烧", "烧垃圾", "烧"}},
	{"smoke", point, []string{"冒黑烟", "排黑烟", "黑烟", "冒烟", "排烟"}},
	{"noise", point, []string{"噪音", "扰民", "太吵", "吵", "音响", "广场舞", "施工", "干活"}},
	{"dust", point, []string{"扬尘", "尘土"}},
	{"smell", point, []string{"臭味", "味道", "臭"}},
	{"discharge", point, []string{"排污", "污水"}},
	// Safety.
	{"fitness", point, []string{"健身器材"}},
	{"guardrail", point, []string{"护栏", "围栏"}},
	{"pond", point, []string{"坑塘", "池塘", "水塘"}},
	{"building", point, []string{"危房", "房子", "墙裂"}},
	{"gas", household, []string{"煤气罐", "煤气", "燃气", "漏气"}},
	{"ebike", point, []string{"电动车充电", "充电"}},
	// Forestry: a tree is only where the fault is; the fault is what it
	// did (blown down, blocking a light, eaten by pests, felled).
	{"blown_down", point, []string{"刮倒", "刮歪", "树倒", "树歪", "倒树"}},
	{"blocking", point, []string{"挡住", "挡了", "遮住", "挡路"}},
	{"felling", point, []string{"偷砍", "盗伐", "砍"}},
	{"pests", point, []string{"虫子", "虫"}},
	// Construction.
	{"illegal_building", point, []string{"私搭乱建", "乱搭", "乱建", "违建", "盖房", "私自盖", "占道", "占路", "占了路", "建材", "砖"}},
	// Heating.
	{"heating", wide, []string{"暖气", "供暖", "锅炉"}},
	{"heat_pump", household, []string{"热泵", "空气能", "外机"}},
	{"subsidy", wide, []string{"补贴"}},
	{"door", point, []string{"门坏", "关不上"}},
}

// Symptoms of one thing that cannot both be true: a light that is out is
// not the light left on all day.
var conflicts = [][2][]string{
	{{"不亮", "坏", "黑", "灭"}, {"一直亮", "常亮", "白天", "一直开着", "不关"}},
	{{"漏水", "漏了"}, {"不热"}},
}

// place is a kind of place and which one: (side, east), (group, 3).
type place struct{ kind, value string }

var places = map[string]place{
	"村口": {"entrance", ""}, "进村": {"entrance", ""},
	"东头": {"side", "east"}, "村东": {"side", "east"}, "东边": {"side", "east"}, "东面": {"side", "east"},
	"西头": {"side", "west"}, "村西": {"side", "west"}, "西边": {"side", "west"}, "西面": {"side", "west"},
	"南头": {"side", "south"}, "村南": {"side", "south"}, "南边": {"side", "south"}, "南面": {"side", "south"},
	"北头": {"side", "north"}, "村北": {"side", "north"}, "北边": {"side", "north"}, "北面": {"side", "north"},
	"小学": {"spot", "school"}, "学校": {"spot", "school"}, "中学": {"spot", "school"},
	"幼儿园": {"spot", "kindergarten"},
	"村委会": {"spot", "committee"}, "大队部": {"spot", "committee"}, "村部": {"spot", "committee"}, "村委": {"spot", "committee"},
	"广场":  {"spot", "square"},
	"卫生室": {"spot", "clinic"}, "诊所": {"spot", "clinic"},
	"超市": {"spot", "shop"}, "小卖部": {"spot", "shop"},
	"菜市场": {"spot", "market"},
	"粮站":  {"spot", "granary"}, "供销社": {"spot", "coop"},
	"工地":  {"spot", "worksite"},
	"养猪场": {"spot", "pigfarm"}, "猪场": {"spot", "pigfarm"},
	"化工厂": {"spot", "factory"}, "工厂": {"spot", "factory"}, "厂子": {"spot", "factory"},
	"养老院": {"spot", "nursing"}, "敬老院": {"spot", "nursing"},
	"加油站": {"spot", "gasstation"},
	"坑塘":  {"spot", "pond"}, "池塘": {"spot", "pond"}, "水塘": {"spot", "pond"},
	"河边": {"spot", "river"}, "河沿": {"spot", "river"}, "河里": {"spot", "river"},
	"公交站": {"spot", "busstop"}, "站牌": {"spot", "busstop"},
	"桥头": {"spot", "bridge"}, "桥上": {"spot", "bridge"}, "桥那": {"spot", "bridge"}, "桥": {"spot", "bridge"},
	"楼道": {"spot", "stairwell"},
	"路口": {"crossing", ""}, "十字路口": {"crossing", ""},
	"主街": {"street", "main"}, "大街": {"street", "main"}, "主路": {"street", "main"},
	"后街": {"street", "back"}, "前街": {"street", "front"},
	"南街": {"street", "south"}, "北街": {"street", "north"}, "东街": {"street", "east"}, "西街": {"street", "west"},
}

// Words that make a report about the requester's own home.
var householdWords = []string{"我家", "俺家", "我们家", "家里", "屋里", "家中", "自家", "院里", "院子", "我屋"}

// Words that widen a report from one home to the village.
var wideWords = []string{"全村", "整个村", "村里", "一片", "这片", "大家", "家家", "邻居也", "都停", "都没"}
