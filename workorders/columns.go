// Package workorders brings the district platform's 12345 work orders in
// (an export as .xlsx or CSV, UTF-8 or GBK) as tickets, and writes the
// results back in the platform's columns. The columns are found by their
// usual names and variants; a file with a bad row is refused whole, every
// bad row reported as FILE:LINE: reason, as the roster is.
package workorders

// Column is one column of a platform export: the field it fills and the
// names it goes by, the usual one first.
type Column struct {
	Field string
	Names []string
}

// Columns are the columns an import recognises (README: 12345 work
// orders). Names are compared folded: full-width letters, spaces and a
// required-field star do not matter.
var Columns = []Column{
	{"number", []string{"工单编号", "工单号", "编号", "诉求编号", "案件编号"}},
	{"accepted", []string{"受理时间", "来电时间", "登记时间", "创建时间"}},
	{"dispatched", []string{"派单时间", "派发时间", "下派时间", "转办时间", "交办时间"}},
	{"requester", []string{"诉求人", "来电人", "来电人姓名", "诉求人姓名", "反映人", "联系人"}},
	{"phone", []string{"联系电话", "来电号码", "诉求人电话", "联系方式", "电话"}},
	{"content", []string{"诉求内容", "主要内容", "反映内容", "来电内容", "问题描述", "工单内容"}},
	{"title", []string{"标题", "诉求标题", "工单标题", "主题"}},
	{"classification", []string{"问题分类", "诉求分类", "事项分类", "分类", "问题类型"}},
	{"type", []string{"工单类型", "诉求类型", "来电类型", "类型"}},
	{"address", []string{"被反映地址", "发生地址", "事发地址", "问题地址", "地址"}},
	{"town", []string{"街乡镇", "所属街乡", "街道乡镇", "乡镇街道", "所属街道"}},
	{"village", []string{"村/社区", "村社区", "所属村", "所属社区", "村(社区)", "社区/村", "村居"}},
	{"unit", []string{"承办单位", "主办单位", "办理单位", "承办部门"}},
	{"deadline", []string{"办理时限", "应反时间", "应反馈时间", "办结时限", "反馈时限", "截止时间"}},
	{"supervised", []string{"督办标志", "是否督办", "督办"}},
}

// The types of order the platform uses.
var orderTypes = []string{"咨询", "求助", "投诉", "举报", "建议"}
