package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/notice"
	"hotline/roster"
)

// CommandSetter sets the command menu. *tg.Bot is one.
type CommandSetter interface {
	SetMyCommands(ctx context.Context, params *tg.SetMyCommandsParams) (bool, error)
}

// ResidentCommands is the menu everyone sees.
var ResidentCommands = []models.BotCommand{
	{Command: "start", Description: "开始 / 重新开始"},
	{Command: "my", Description: "我的工单"},
	{Command: "ticket", Description: "查看工单：/ticket 编号"},
	{Command: "village", Description: "更改所在的村"},
	{Command: "stop", Description: "不再接收通知和回访"},
	{Command: "help", Description: "使用说明"},
}

// StaffCommands is the menu every staff member's chat has.
var StaffCommands = []models.BotCommand{
	{Command: "tasks", Description: "我的待办工单"},
	{Command: "ticket", Description: "查看工单：/ticket 编号"},
	{Command: "cancel", Description: "取消当前操作"},
	{Command: "help", Description: "使用说明"},
}

var (
	notifyCommand = models.BotCommand{Command: "notify", Description: "给居民发通知：/notify 范围 内容"}
	tagCommand    = models.BotCommand{Command: "tag", Description: "设置居民标签：/tag 工单编号 标签 开|关"}
)

// StaffCommandsFor is the menu of a staff member in role: the common
// commands, with /notify for those who may broadcast and /tag for those
// who look after residents (departments handle tickets, not households).
func StaffCommandsFor(role roster.Role) []models.BotCommand {
	var extra []models.BotCommand
	switch role {
	case roster.Center, roster.Admin, roster.AreaLeader:
		extra = append(extra, notifyCommand)
	}
	if role != roster.Department {
		extra = append(extra, tagCommand)
	}
	out := slices.Clone(StaffCommands[:2]) // /tasks, /ticket
	out = append(out, extra...)
	return append(out, StaffCommands[2:]...)
}

// SetCommands sets the residents' menu for everyone and the staff menu for
// each started staff chat. A staff chat that fails is logged, not fatal.
func (h *Handler) SetCommands(ctx context.Context, staffChats []int64) error {
	if h.api == nil {
		return nil
	}
	if _, err := h.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: ResidentCommands}); err != nil {
		return fmt.Errorf("set commands: %w", err)
	}
	for _, id := range staffChats {
		h.staffCommands(ctx, id) // one call per started staff chat, at start only
	}
	return nil
}

// staffCommands gives one staff chat the menu of its role.
func (h *Handler) staffCommands(ctx context.Context, chatID int64) {
	if h.api == nil {
		return
	}
	st, _ := h.tickets.Router().Roster().StaffByID(chatID)
	_, err := h.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{
		Commands: StaffCommandsFor(st.Role),
		Scope:    &models.BotCommandScopeChat{ChatID: chatID},
	})
	if err != nil {
		h.log.Warn("set staff commands", "chat", chatID, "err", err)
	}
}

// parseTicketNumber reads "2026-000123", also written "2026-123",
// "#2026-000123", with a full-width dash, or as a bare "123" of this year.
func parseTicketNumber(s string, now time.Time) (string, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	s = strings.NewReplacer("－", "-", "—", "-", "–", "-", " ", "").Replace(s)
	if s == "" {
		return "", false
	}
	year, seq, found := strings.Cut(s, "-")
	if !found {
		year, seq = strconv.Itoa(now.In(notice.Zone).Year()), s
	}
	y, err1 := strconv.Atoi(year)
	n, err2 := strconv.Atoi(seq)
	if err1 != nil || err2 != nil || y < 2000 || y > 9999 || n <= 0 || n > 999999 {
		return "", false
	}
	return fmt.Sprintf("%d-%06d", y, n), true
}
