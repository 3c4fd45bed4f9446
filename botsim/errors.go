package botsim

import (
	"fmt"
	"net/http"
)

// apiError is a Bot API failure: the HTTP status equals Code, as on Telegram.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
}

func badRequest(desc string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + desc}
}

func forbidden(desc string) *apiError {
	return &apiError{Code: http.StatusForbidden, Description: "Forbidden: " + desc}
}

func tooManyRequests(retryAfter int) *apiError {
	return &apiError{
		Code:        http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		RetryAfter:  retryAfter,
	}
}

var (
	errNotFound     = &apiError{Code: http.StatusNotFound, Description: "Not Found"}
	errUnauthorized = &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"}
	errBlocked      = forbidden("bot was blocked by the user")
	errChatNotFound = badRequest("chat not found")
	errChatIDEmpty  = badRequest("chat_id is empty")
	errTextEmpty    = badRequest("message text is empty")
	errTextTooLong  = badRequest("message is too long")
	errNotUTF8      = badRequest("text must be encoded in UTF-8")
	errNoMessageID  = badRequest("message identifier is not specified")
	errEditNotFound = badRequest("message to edit not found")
	errNotModified  = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	errQueryTooOld  = badRequest("query is too old and response timeout expired or query ID is invalid")
)

// faultError describes a scripted failure with Telegram's wording.
func faultError(code, retryAfter int) *apiError {
	switch code {
	case http.StatusTooManyRequests:
		if retryAfter <= 0 {
			retryAfter = 1
		}
		return tooManyRequests(retryAfter)
	case http.StatusForbidden:
		return errBlocked
	case http.StatusBadRequest:
		return badRequest("injected failure")
	case http.StatusUnauthorized:
		return errUnauthorized
	case http.StatusNotFound:
		return errNotFound
	case http.StatusConflict:
		return &apiError{Code: code, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	case http.StatusBadGateway:
		return &apiError{Code: code, Description: "Bad Gateway"}
	}
	return &apiError{Code: code, Description: http.StatusText(code)}
}
