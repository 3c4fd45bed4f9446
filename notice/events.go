package notice

// eventNames are the kinds of a ticket's history as people read them.
var eventNames = map[string]string{
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
func EventChinese(kind string) string {
	if n, ok := eventNames[kind]; ok {
		return n
	}
	return kind
}
