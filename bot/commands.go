package bot

import (
	"context"
	"fmt"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/notice"
	"hotline/roster"
)

// CommandSetter sets the command menu. *tg.Bot is one.
type CommandSetter interface {
	SetMyCommands(ctx context.Context, params *tg.SetMyCommandsParams) (bool, error)
}

// botCommands is a menu in the Bot API's terms.
func botCommands(menu []notice.Command) []models.BotCommand {
	out := make([]models.BotCommand, len(menu))
	for i, c := range menu {
		out[i] = models.BotCommand{Command: c.Name, Description: c.Description}
	}
	return out
}

// SetCommands sets the residents' menu for everyone and the staff menu for
// each started staff chat. A staff chat that fails is logged, not fatal.
func (h *Handler) SetCommands(ctx context.Context, staff []roster.Staff) error {
	if h.api == nil {
		return nil
	}
	if _, err := h.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: botCommands(notice.ResidentMenu)}); err != nil {
		return fmt.Errorf("set commands: %w", err)
	}
	for _, st := range staff {
		h.staffCommands(ctx, st) // one call per started staff chat, at start only
	}
	return nil
}

// staffCommands gives one staff chat the menu of its role.
func (h *Handler) staffCommands(ctx context.Context, st roster.Staff) {
	if h.api == nil {
		return
	}
	_, err := h.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{
		Commands: botCommands(notice.StaffMenu(st.Role)),
		Scope:    &models.BotCommandScopeChat{ChatID: int64(st.TelegramID)},
	})
	if err != nil {
		h.log.Warn("set staff commands", "chat", st.TelegramID, "err", err)
	}
}
