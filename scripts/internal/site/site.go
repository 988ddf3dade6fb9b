package site

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"time"
)

// Site serves the playground's files from a directory: index.html and
// sw.js (the service worker) at the root, and everything under web/.
// Nothing else of the repository is served, and nothing outside the
// directory can be reached: paths are cleaned, dot-files refused, and
// files opened through an os.Root, which also refuses symbolic links that
// lead out.
type Site struct {
	root *os.Root
	mu   sync.Mutex
	gz   map[string]gzEntry // compressed bodies by path, valid for one mod time and size
}

type gzEntry struct {
	mod  time.Time
	size int64
	body []byte
}

// NewSite serves dir.
func NewSite(dir string) (*Site, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	if _, err := r.Stat("index.html"); err != nil {
		r.Close()
		return nil, errors.New(dir + " has no index.html: run from the repository's root")
	}
	return &Site{root: r, gz: map[string]gzEntry{}}, nil
}

// contentTypes are set explicitly: the browser needs application/wasm to
// compile while downloading, and the data files must not be mistaken for
// content-encoded text (the page decompresses them itself).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".json":        "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".gz":          "application/gzip",
	".safetensors": "application/octet-stream",
	".log":         "text/plain; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/plain; charset=utf-8",
}

// compressible types are gzipped on the way out when the client accepts it.
var compressible = map[string]bool{".html": true, ".js": true, ".css": true, ".wasm": true, ".json": true, ".svg": true, ".log": true, ".txt": true}

// allowed reports whether a cleaned URL path is part of the site.
func allowed(p string) bool {
	if p == "/" || p == "/index.html" || p == "/sw.js" { // a service worker controls only what is under its own directory
		return true
	}
	if !strings.HasPrefix(p, "/web/") {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	raw := r.URL.Path
	p := path.Clean("/" + raw)
	if strings.Contains(raw, "..") || !allowed(p) {
		http.Error(w, "404 not found: "+raw+" is not part of the site (index.html, sw.js and web/ only)", http.StatusNotFound)
		return
	}
	if p == "/" {
		p = "/index.html"
	}
	name := strings.TrimPrefix(p, "/")
	f, err := s.root.Open(name)
	if err != nil {
		http.Error(w, "404 not found: "+raw, http.StatusNotFound)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		http.Error(w, "404 not found: "+raw, http.StatusNotFound)
		return
	}
	ext := path.Ext(name)
	ct := contentTypes[ext]
	if ct == "" {
		ct = mime.TypeByExtension(ext)
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	// A development server: always revalidate, so a rebuild shows at once.
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	if compressible[ext] && accepts(r, "br") {
		if body := s.precompressed(name, ".br", st); body != nil {
			h.Set("Content-Encoding", "br")
			http.ServeContent(w, r, name, st.ModTime(), bytes.NewReader(body))
			return
		}
	}
	if compressible[ext] && accepts(r, "gzip") {
		body, err := s.compressed(name, f, st)
		if err != nil {
			http.Error(w, "500 reading "+raw, http.StatusInternalServerError)
			return
		}
		h.Set("Content-Encoding", "gzip")
		http.ServeContent(w, r, name, st.ModTime(), bytes.NewReader(body))
		return
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// accepts reports whether the request's Accept-Encoding allows coding.
func accepts(r *http.Request, coding string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == coding && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// precompressed returns name+suffix, made by the build, when it is at
// least as new as the file itself (a stale one would serve old code).
func (s *Site) precompressed(name, suffix string, st fs.FileInfo) []byte {
	cst, err := s.root.Stat(name + suffix)
	if err != nil || cst.ModTime().Before(st.ModTime()) {
		return nil
	}
	b, err := s.root.ReadFile(name + suffix)
	if err != nil {
		return nil
	}
	return b
}

// compressed returns the gzipped file: a precompressed name.gz made by the
// build when there is one at least as new as the file (the build makes one
// for the wasm, which is slow to compress well), else compressed here, once
// per version of the file.
func (s *Site) compressed(name string, f fs.File, st fs.FileInfo) ([]byte, error) {
	if b := s.precompressed(name, ".gz", st); b != nil {
		return b, nil
	}
	s.mu.Lock()
	e, ok := s.gz[name]
	s.mu.Unlock()
	if ok && e.mod.Equal(st.ModTime()) && e.size == st.Size() {
		return e.body, nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if _, err := io.Copy(zw, f); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.gz[name] = gzEntry{mod: st.ModTime(), size: st.Size(), body: buf.Bytes()}
	s.mu.Unlock()
	return buf.Bytes(), nil
}
