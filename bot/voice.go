package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"hotline/conversation"
	"hotline/speech"
)

// FileAPI is the part of the Bot API that fetches a file a user sent;
// *tg.Bot is one.
type FileAPI interface {
	GetFile(ctx context.Context, params *tg.GetFileParams) (*models.File, error)
	FileDownloadLink(f *models.File) string
}

// maxVoiceBytes is the most of a voice message downloaded: Telegram lets a
// bot download 20 MB, an hour of voice; a resident's message is far less.
const maxVoiceBytes = 20 << 20

// VoiceTranscriber fetches a voice message from Telegram (getFile, then
// the download) and has a speech client transcribe it, all within the
// speech client's timeout. It implements conversation.Transcriber.
type VoiceTranscriber struct {
	files FileAPI
	http  *http.Client
	stt   *speech.Client
}

// NewVoiceTranscriber returns a transcriber; hc nil is
// http.DefaultClient.
func NewVoiceTranscriber(files FileAPI, hc *http.Client, stt *speech.Client) *VoiceTranscriber {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &VoiceTranscriber{files: files, http: hc, stt: stt}
}

var _ conversation.Transcriber = (*VoiceTranscriber)(nil)

// Transcribe implements conversation.Transcriber.
func (v *VoiceTranscriber) Transcribe(ctx context.Context, voice conversation.Voice) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, v.stt.Timeout())
	defer cancel()
	audio, name, err := v.download(ctx, voice.File.ID)
	if err != nil {
		return "", err
	}
	return v.stt.Transcribe(ctx, audio, name, voice.MimeType)
}

// download fetches a file by its file id. Its URL holds the bot's token,
// so no error names it.
func (v *VoiceTranscriber) download(ctx context.Context, fileID string) ([]byte, string, error) {
	f, err := v.files.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, "", fmt.Errorf("get voice file: %w", err)
	}
	if f.FilePath == "" {
		return nil, "", errors.New("get voice file: Telegram gave no path to download")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.files.FileDownloadLink(f), nil)
	if err != nil {
		return nil, "", fmt.Errorf("download voice %s: %w", f.FilePath, withoutURL(err))
	}
	resp, err := v.http.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("download voice %s: %w", f.FilePath, withoutURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("download voice %s: %s", f.FilePath, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxVoiceBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("download voice %s: %w", f.FilePath, withoutURL(err))
	}
	if len(data) > maxVoiceBytes {
		return nil, "", fmt.Errorf("download voice %s: over %d bytes", f.FilePath, maxVoiceBytes)
	}
	return data, path.Base(f.FilePath), nil
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
