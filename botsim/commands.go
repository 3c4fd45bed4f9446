package botsim

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

var commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// scopeKey names a command list by its BotCommandScope and language.
func scopeKey(p params) (string, *apiError) {
	key := "default"
	if raw := strings.TrimSpace(p["scope"]); raw != "" {
		var sc struct {
			Type   string          `json:"type"`
			ChatID json.RawMessage `json:"chat_id"`
			UserID int64           `json:"user_id"`
		}
		if err := json.Unmarshal([]byte(raw), &sc); err != nil || sc.Type == "" {
			return "", badRequest("can't parse BotCommandScope JSON object")
		}
		key = sc.Type
		if len(sc.ChatID) > 0 {
			key += ":" + strings.Trim(string(sc.ChatID), `"`)
		}
		if sc.UserID != 0 {
			key += fmt.Sprintf(":%d", sc.UserID)
		}
	}
	if lang := p["language_code"]; lang != "" {
		key += "|" + lang
	}
	return key, nil
}

func (s *Server) setMyCommands(_ context.Context, p params) (any, *apiError) {
	raw, ok := p["commands"]
	if !ok {
		return nil, badRequest("parameter \"commands\" is required")
	}
	var list []wireCommand
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(list) > 100 {
		return nil, badRequest("too many commands")
	}
	cmds := make([]Command, 0, len(list))
	for _, c := range list {
		if !commandRE.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(c.Description)); n == 0 || n > 256 {
			return nil, badRequest("command description must be non-empty and at most 256 characters")
		}
		cmds = append(cmds, Command(c))
	}
	key, aerr := scopeKey(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[key] = cmds
	return true, nil
}

func (s *Server) getMyCommands(_ context.Context, p params) (any, *apiError) {
	key, aerr := scopeKey(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []wireCommand{}
	for _, c := range s.commands[key] {
		out = append(out, wireCommand(c))
	}
	return out, nil
}

func (s *Server) deleteMyCommands(_ context.Context, p params) (any, *apiError) {
	key, aerr := scopeKey(p)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	return true, nil
}

// Commands returns the command menu a chat would show: the chat's own scope,
// else all private (or group) chats, else the default list.
func (s *Server) Commands(chatID int64) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commandsLocked(chatID)
}

func (s *Server) commandsLocked(chatID int64) []Command {
	broad := "all_private_chats"
	if chatID < 0 {
		broad = "all_group_chats"
	}
	for _, key := range []string{fmt.Sprintf("chat:%d", chatID), broad, "default"} {
		if cmds, ok := s.commands[key]; ok {
			return slices.Clone(cmds)
		}
	}
	return nil
}
