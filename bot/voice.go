package bot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path"

	"hotline/conversation"
	"hotline/speech"
)

// VoiceTranscriber fetches a voice message from Telegram (getFile, then
// the download) and has a speech client transcribe it, all within the
// speech client's timeout. It implements conversation.Transcriber.
type VoiceTranscriber struct {
	files *Files
	stt   *speech.Client
}

// NewVoiceTranscriber returns a transcriber; hc nil is
// http.DefaultClient.
func NewVoiceTranscriber(files FileAPI, hc *http.Client, stt *speech.Client) *VoiceTranscriber {
	return &VoiceTranscriber{files: NewFiles(files, hc), stt: stt}
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

// download fetches a voice message by its file id.
func (v *VoiceTranscriber) download(ctx context.Context, fileID string) ([]byte, string, error) {
	body, _, name, err := v.files.Open(ctx, fileID)
	if err != nil {
		return nil, "", fmt.Errorf("voice: %w", err)
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, MaxFileBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("download voice %s: %w", name, withoutURL(err))
	}
	if len(data) > MaxFileBytes {
		return nil, "", fmt.Errorf("download voice %s: %w", name, ErrFileTooBig)
	}
	return data, path.Base(name), nil
}
