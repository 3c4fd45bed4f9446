package desk

import (
	"embed"
	"io/fs"
	"net/http"
)

// The desk's style sheet, its one small script, and Apache ECharts: the
// minified file of the npm package pinned by assets/package-lock.json,
// committed so that a plain `go build` has it (static_test.go checks it
// against the lock, and against the installed package where `npm ci` ran,
// as in CI). Nothing is loaded from the internet.
//
//go:generate sh -c "npm ci --prefix assets --no-audit --no-fund && cp assets/node_modules/echarts/dist/echarts.min.js static/"
//go:embed static
var static embed.FS

func staticFiles() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has it
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path[len(r.URL.Path)-1] == '/' {
			http.NotFound(w, r) // files only, no listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
