package intents

import "strings"

// lexicon groups words that point to one topic. Each group is one model
// feature, present when any of its words occurs, so that a message using a
// word the corpus saw rarely still lands near the messages that share its
// topic. A few groups say what kind of message it is instead (praise, a
// suggestion, a question, a fault), and compounds (compound.go) combine
// those. The groups are cues for the model, not rules: the model learns how
// much each one counts, for the township's taxonomy or for a foreign one.
var lexicon = []lexiconGroup{
	{"heating", "暖气 供暖 采暖 取暖 煤改电 空气能 空气源 热泵 暖气片 地暖 壁挂炉 电暖器 电暖气 锅炉 不热 供热 采暖费 清洁取暖 化霜 外机 室温 冰窖 屋里冷 温度上不去 暖和"},
	{"power", "停电 没电 断电 跳闸 电闸 闸箱 电箱 电压 电线 电线杆 电表 电费 供电 变压器 漏电 空开 线路 插座 来电 电工 掉闸 电力 灯泡 充电桩 电路 保险丝 拉闸"},
	{"water", "停水 没水 自来水 水管 水压 水质 水龙头 井水 下水道 排水 积水 内涝 防汛 河道 沟渠 水渠 爆管 漏水 水费 水表 浑 水有味 泵站 淹 水库 河沟 排水沟 管网 供水 冻裂 水碱 饮用水"},
	{"sanitation", "垃圾 垃圾桶 垃圾站 清运 厕所 公厕 旱厕 污水 粪 死猫 死狗 死鸡 死老鼠 尸体 流浪狗 野狗 流浪猫 苍蝇 蚊子 保洁 环卫 乱扔 脏 卫生死角 化粪池 蟑螂 老鼠 臭水"},
	{"roads", "路灯 路面 坑洼 修路 道路 马路 积雪 结冰 路滑 胡同 路口 红绿灯 信号灯 交通 标志牌 公交 站牌 停车 减速带 桥 柏油 水泥路 土路 塌陷 路不好走 掉坑 照明 扫雪 车站"},
	{"pollution", "扬尘 噪音 噪声 吵得 太吵 施工 焚烧 烧秸秆 烧垃圾 黑烟 异味 臭味 排污 偷排 废气 油烟 粉尘 大喇叭 广场舞 半夜 刺鼻 熏 呛 污染 排放 化工 轰隆 嗡嗡 敲敲打打 叮叮当当 动静 吵人 震得 睡不着 噪"},
	{"safety", "煤气 燃气 液化气 煤气罐 气罐 着火 起火 火灾 消防 灭火器 隐患 危房 电动车 电瓶车 充电 飞线 井盖 水塘 坑塘 健身器材 护栏 倒塌 危险 安全 秋千 滑梯 坠落 砸 裂缝 倾斜"},
	{"dispute", "吵架 打架 纠纷 矛盾 邻居 宅基地 地界 边界 调解 欠薪 工钱 拖欠 欠钱 骂 动手 占我家 不讲理 闹 翻脸 老板 包工头 赡养 分家 离婚 争执"},
	{"forestry", "树 树枝 树木 砍树 伐 林场 绿化 杨絮 柳絮 病虫害 白蛾 打药 修剪 倒伏 山火 林地 苗木 树苗 枯树 林子 树林 护林 草坪 花坛 杨树 柳树 树杈 枝子 枝杈 树叶"},
	{"construction", "违建 违章 私搭 乱建 加盖 盖房 拆除 拆违 占道 侵占 物业 圈地 彩钢 铁皮棚 占用 搭棚 翻建 扩建 乱盖 私建 砌墙 建房 砌到 垒 盖到 占了 伸到 圈起来"},
	{"land_agri", "流转 土地 耕地 承包地 分红 种子 化肥 农机 庄稼 麦子 玉米 大棚 联营 地租 收成 灌溉 农田 种地 地力 种粮 农资 农药 果树 养殖 粮食 租地"},
	{"welfare", "养老金 低保 残疾 独居 孤寡 五保 救助 大病 社保 就业 老年餐桌 养老 高龄 老年证 困难户 补助 退休金 护理 助残 找工作 失业 养老院 敬老院 特困"},
	{"health", "家庭医生 卫生室 卫生院 卫生站 服务站 诊所 大夫 医生 医保 报销 疫苗 接种 体检 防疫 开药 看病 血压 血糖 医院 慢性病 药费 核酸 发烧 门诊"},
	{"culture_edu", "学校 上学 幼儿园 入学 学位 图书馆 文化 文艺 电影 体育 健身 书屋 唱戏 培训 老师 学生 孩子上学 校车 篮球 球场 文化站 舞蹈 读书 课外"},
	{"enterprise", "公司 企业 我们厂 工厂 招工 员工 职工 生产线 增容 营业执照 审批 服务包 人才 专员 园区 工业区 厂房 厂子 订单 客户 经营 投资 项目 招聘 厂区 库房 仓库 纳税"},
	{"consultation", "怎么办 怎么 哪里 在哪 哪儿 请问 需要什么 能不能 可以吗 多少钱 如何 流程 材料 什么时候 咨询 政策 问一下 问问 想问 是否 有没有 要不要 哪个部门 找谁 条件 标准 手续"},
	// praise, suggest, resolved and contrast, like question and fault
	// below, say what kind of message it is rather than what it is about.
	{"praise", "谢谢 谢了 多谢 感谢 感激 表扬 点赞 赞一个 辛苦 好评 满意 热心 锦旗 给力 好样的 真好 太好了 挺好 特别好 非常好 不错 负责 及时 认真 耐心 周到 热情 好使 麻利 利索 靠谱 贴心 暖心 感动 福气 念你们 记着 干得漂亮 干得好 真快 挺快 真行 大变样 越来越好 没得说 没话说 大拇指 👍"},
	{"suggest", "建议 希望 提个 提议 想法 要是能 如果能 最好能 能不能在 能不能也 可不可以在 能否在 改成 可以搞 可以办 搞个 安几个 按几个 装几个 放几个 多放 多安 多装 多种 多搞 多组织 多办 设个 建个 办个 组织个 加个 添个 引进 学学"},
	{"resolved", "修好 弄好 整好 换好 修完 弄完 解决了 来电了 来水了 通了 恢复了 清走了 拉走了 处理了 处理得 修得 干净了 亮了 热乎了 到账了 办下来 就来了 再也不 不再 终于 以前 原来"},
	{"contrast", "不过 但是 可是 只是 就是 可惜 美中不足 又 还是"},
	{"other", "你好 您好 嗨 哈喽 在吗 在不在 有人吗 喂 有线电视 快递 网络 网速 宽带 信号 手机 电视 测试 哈哈 嗯 好的 收到"},
	{"question", "? 吗 呢 么 咋"},
	{"fault", "坏了 坏啦 不行 不灵 故障 没人管 没人修 没人来 好几天 一直不 一直没 还没 催 赶紧 尽快 麻烦 漏 断了 堵 塌 破 不亮 不热 不转 不出 不来 不响 不通 不给 没给 没到 没发 停了 停水了 停电了 没水了 没电了 太脏 脏得 臭 太吵 吵得 裂 歪了 倒了 冒水 冒烟 往外冒 积水 不及时 不负责 态度差 不管 老是 总是 三天两头 受不了 睡不着 危险 不敢 满了 没法 拖着 欠 天了 个月了 怎么还 咋还 毛病 有问题 不对劲 不正常 不准 断水 断电"},
}

// lexiconGroup is one named group of words.
type lexiconGroup struct {
	name  string
	words string
}

// lexiconDict indexes every lexicon word by the group it belongs to; groups
// are numbered in lexicon order.
func lexiconDict() *dict {
	d := &dict{}
	for g, l := range lexicon {
		for _, w := range strings.Fields(l.words) {
			d.add(string(normalize(nil, w)), int32(g))
		}
	}
	return d
}
