package workorders

import (
	"strings"

	"hotline/taxonomy"
)

// The platform's 问题分类 is a path such as 城乡建设>市政管理>路灯. Its most
// specific part that names something of the taxonomy decides; a path
// naming nothing known leaves the category to the classifier.
var classificationWords = []struct {
	cat   taxonomy.Category
	words []string
}{
	{taxonomy.Heating, []string{"供暖", "供热", "采暖", "煤改电", "暖气"}},
	{taxonomy.Power, []string{"供电", "用电", "停电", "电力", "电费", "电线", "电网"}},
	{taxonomy.Water, []string{"供水", "排水", "自来水", "防汛", "积水", "水务", "下水道", "河道", "沟渠", "饮用水"}},
	{taxonomy.Sanitation, []string{"环境卫生", "垃圾", "公厕", "环卫", "保洁", "犬", "污水", "卫生死角"}},
	{taxonomy.Roads, []string{"路灯", "道路", "交通", "照明", "公交", "停车", "井盖", "桥梁"}},
	{taxonomy.Pollution, []string{"噪声", "噪音", "扬尘", "大气", "秸秆", "焚烧", "异味", "污染", "排污", "油烟"}},
	{taxonomy.Safety, []string{"安全生产", "消防", "燃气", "危房", "安全隐患", "电动车"}},
	{taxonomy.Dispute, []string{"劳动关系", "拖欠工资", "欠薪", "工资", "纠纷", "宅基地", "调解"}},
	{taxonomy.Forestry, []string{"园林", "绿化", "林业", "树木", "林木"}},
	{taxonomy.Construction, []string{"违法建设", "违建", "拆违", "占道", "物业", "私搭乱建"}},
	{taxonomy.LandAgri, []string{"土地", "农业", "流转", "耕地", "农机", "种植", "养殖"}},
	{taxonomy.Welfare, []string{"社会保障", "养老", "低保", "残疾", "救助", "社保", "就业", "民政", "退役军人"}},
	{taxonomy.Health, []string{"医疗", "卫生健康", "医保", "疫苗", "疾控", "卫生室", "家庭医生"}},
	{taxonomy.CultureEdu, []string{"教育", "学校", "文化", "体育", "幼儿园", "入学"}},
	{taxonomy.Enterprise, []string{"企业", "营商环境", "市场主体"}},
	{taxonomy.Feedback, []string{"表扬", "感谢"}},
	{taxonomy.Consultation, []string{"政策咨询"}},
}

// separators of a classification path.
var pathSeparators = strings.NewReplacer(">", "/", "＞", "/", "-", "/", "—", "/", "|", "/", "\\", "/", "、", "/")

// categoryOf maps a 问题分类 to the taxonomy, most specific part first.
func categoryOf(classification string) (taxonomy.Category, bool) {
	parts := strings.Split(pathSeparators.Replace(classification), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		part := strings.TrimSpace(parts[i])
		if part == "" {
			continue
		}
		for _, c := range classificationWords {
			for _, w := range c.words {
				if strings.Contains(part, w) {
					return c.cat, true
				}
			}
		}
	}
	return "", false
}
