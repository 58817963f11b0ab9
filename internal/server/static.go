package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/newsearch/newsearch/internal/render"
)

// The search page: plain HTML, CSS and a small script, embedded in the
// binary. Only these files are served; no path reaches the file system.
//
//go:embed static
var staticFiles embed.FS

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets maps a URL path to its file: / to the page, /static/NAME to the
// rest.
var assets = func() map[string]asset {
	out := map[string]asset{}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a := asset{body: b, contentType: mime.TypeByExtension(path.Ext(p)), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		if a.contentType == "" {
			a.contentType = "application/octet-stream"
		}
		out["/"+p] = a
		return nil
	})
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	out["/"] = out["/static/index.html"]
	delete(out, "/static/index.html")
	return out
}()

// contentSecurityPolicy allows only the page's own files: the snippets it
// inserts as HTML cannot run or load anything.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// static serves the page and its files.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.URL.Path]
	if strings.HasPrefix(r.URL.Path, "/articles/") && len(r.URL.Path) > len("/articles/") {
		// an article's page: the page shows it (the ID is the rest of the path)
		a, ok = assets["/"], true
	}
	if !ok {
		writeError(w, http.StatusNotFound, render.Error{Code: render.CodeNotFound}, "no such page: %s", r.URL.Path)
		return
	}
	if !allowGet(w, r) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache") // revalidate: the ETag makes that cheap
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "no-referrer")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
