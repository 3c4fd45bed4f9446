package notice

import "hotline/roster"

// Command is one entry of a chat's command menu.
type Command struct {
	Name        string // without the slash
	Description string
}

// ResidentMenu is the menu everyone sees.
var ResidentMenu = []Command{
	{"start", "开始 / 重新开始"},
	{"my", "我的工单"},
	{"ticket", "查看工单：/ticket 编号"},
	{"village", "更改所在的村"},
	{"stop", "不再接收通知和回访"},
	{"help", "使用说明"},
}

// StaffMenu is the menu of a staff member in role: the common commands,
// with /notify for those who may broadcast and /tag for those who look
// after residents (departments handle tickets, not households).
func StaffMenu(role roster.Role) []Command {
	out := []Command{{"tasks", "我的待办工单"}, {"ticket", "查看工单：/ticket 编号"}, {"new", "替居民登记诉求（走访、电话、来访）"},
		{"promise", "记录答复承诺：/promise 编号 本周内"},
		{"link", "同一问题合并：/link 编号 主工单编号"}, {"unlink", "取消合并：/unlink 编号"}}
	switch role {
	case roster.Center, roster.Admin, roster.AreaLeader:
		out = append(out, Command{"notify", "给居民发通知：/notify 范围 内容"})
	}
	if role != roster.Department {
		out = append(out, Command{"tag", "设置居民标签：/tag 工单编号 标签 开|关"})
	}
	return append(out, Command{"web", "打开网页工作台"}, Command{"cancel", "取消当前操作"}, Command{"help", "使用说明"})
}
