package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// FileAPI is the part of the Bot API that fetches a file a user sent;
// *tg.Bot is one.
type FileAPI interface {
	GetFile(ctx context.Context, params *tg.GetFileParams) (*models.File, error)
	FileDownloadLink(f *models.File) string
}

// MaxFileBytes is the largest file the Bot API lets a bot download.
const MaxFileBytes = 20 << 20

// ErrFileTooBig is returned for a file over MaxFileBytes.
var ErrFileTooBig = errors.New("file over the Bot API's 20 MB download limit")

// Files downloads what users sent, by file id: getFile, then the file's
// URL. That URL holds the bot's token, so it never leaves this type: not
// in an error, not in a log, not to a browser.
type Files struct {
	api  FileAPI
	http *http.Client
}

// NewFiles returns a downloader; hc nil is http.DefaultClient. Deadlines
// come from the caller's context.
func NewFiles(api FileAPI, hc *http.Client) *Files {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Files{api: api, http: hc}
}

// Open starts downloading a file: its body, its size when Telegram says
// (else 0) and its name in Telegram's storage (voice/file_12.oga). The
// caller closes the body and reads no more than MaxFileBytes of it.
func (f *Files) Open(ctx context.Context, fileID string) (body io.ReadCloser, size int64, name string, err error) {
	file, err := f.api.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, 0, "", fmt.Errorf("get file: %w", withoutURL(err))
	}
	if file.FilePath == "" {
		return nil, 0, "", errors.New("get file: Telegram gave no path to download")
	}
	if file.FileSize > MaxFileBytes {
		return nil, 0, "", fmt.Errorf("get file %s: %w", file.FilePath, ErrFileTooBig)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.api.FileDownloadLink(file), nil)
	if err != nil {
		return nil, 0, "", fmt.Errorf("download %s: %w", file.FilePath, withoutURL(err))
	}
	resp, err := f.http.Do(req)
	if err != nil {
		return nil, 0, "", fmt.Errorf("download %s: %w", file.FilePath, withoutURL(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, 0, "", fmt.Errorf("download %s: %s", file.FilePath, resp.Status)
	}
	size = max(resp.ContentLength, 0)
	if size == 0 {
		size = file.FileSize
	}
	if size > MaxFileBytes {
		resp.Body.Close()
		return nil, 0, "", fmt.Errorf("download %s: %w", file.FilePath, ErrFileTooBig)
	}
	return resp.Body, size, file.FilePath, nil
}

// withoutURL drops the URL from a failed request's error: a file's URL
// carries the bot's token, which must not reach a log.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
