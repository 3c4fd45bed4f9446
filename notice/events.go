package notice

import "hotline/taxonomy"

// eventNames are the kinds of a ticket's history as people read them.
var eventNames = taxonomy.Names[string]{
	"created":      "收到诉求",
	"classified":   "分类",
	"assigned":     "分派",
	"accepted":     "接单",
	"transferred":  "转派",
	"escalated":    "上报",
	"resolved":     "办结",
	"reopened":     "重新办理",
	"closed":       "完结",
	"dismissed":    "关闭",
	"rated":        "居民评价",
	"urged":        "督办",
	"fixed_answer": "回访答复",
	"sla_missed":   "超时",
}

// EventChinese is the name of an event kind in a ticket's history.
func EventChinese(kind string) string { return eventNames.Of(kind) }
