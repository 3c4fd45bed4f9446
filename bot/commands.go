package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/notice"
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

// StaffCommands is the menu of a staff member's chat.
var StaffCommands = []models.BotCommand{
	{Command: "tasks", Description: "我的待办工单"},
	{Command: "ticket", Description: "查看工单：/ticket 编号"},
	{Command: "cancel", Description: "取消当前操作"},
	{Command: "help", Description: "使用说明"},
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

// staffCommands gives one staff chat its own menu.
func (h *Handler) staffCommands(ctx context.Context, chatID int64) {
	if h.api == nil {
		return
	}
	_, err := h.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{
		Commands: StaffCommands,
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
