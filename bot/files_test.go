package bot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// fileAPI is getFile answering with file, and download links on base
// that carry a token, as Telegram's do.
type fileAPI struct {
	file *models.File
	err  error
	base string
}

func (f fileAPI) GetFile(context.Context, *tg.GetFileParams) (*models.File, error) {
	return f.file, f.err
}
func (f fileAPI) FileDownloadLink(file *models.File) string {
	return f.base + "/file/botSECRET-TOKEN/" + file.FilePath
}

// Files downloads a file by id, and its errors never carry the download
// address (it holds the bot's token); a file over the Bot API's limit is
// refused before it is downloaded.
func TestFilesOpen(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/photos/file_1.jpg") {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "jpeg bytes")
	}))
	defer srv.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	ctx := context.Background()

	body, size, name, err := NewFiles(fileAPI{file: &models.File{FilePath: "photos/file_1.jpg"}, base: srv.URL}, nil).Open(ctx, "id")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(body)
	body.Close()
	if string(data) != "jpeg bytes" || size != int64(len(data)) || name != "photos/file_1.jpg" {
		t.Errorf("got %q, %d, %q", data, size, name)
	}
	for _, c := range []struct {
		name string
		api  fileAPI
		want error
	}{
		{"getFile fails", fileAPI{err: errors.New("Bad Request: invalid file_id")}, nil},
		{"no path", fileAPI{file: &models.File{}}, nil},
		{"over the limit", fileAPI{file: &models.File{FilePath: "voice/big.oga", FileSize: MaxFileBytes + 1}, base: srv.URL}, ErrFileTooBig},
		{"not found", fileAPI{file: &models.File{FilePath: "voice/gone.oga"}, base: srv.URL}, nil},
		{"no server", fileAPI{file: &models.File{FilePath: "photos/file_1.jpg"}, base: closed.URL}, nil},
	} {
		_, _, _, err := NewFiles(c.api, nil).Open(ctx, "id")
		if err == nil || strings.Contains(err.Error(), "SECRET") || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
