package site

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testSite(t *testing.T) (*Site, string) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "web", "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>x</title>"+strings.Repeat(" ", 1000)), 0o644)
	os.WriteFile(filepath.Join(dir, "web", "app.wasm"), append([]byte("\x00asm"), make([]byte, 5000)...), 0o644)
	os.WriteFile(filepath.Join(dir, "web", "loader.js"), []byte("console.log(1)"), 0o644)
	os.WriteFile(filepath.Join(dir, "sw.js"), []byte("self.addEventListener('fetch', () => {})"), 0o644)
	os.WriteFile(filepath.Join(dir, "web", "data", "t.gz"), []byte{0x1f, 0x8b, 1, 2}, 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module secret"), 0o644)
	os.MkdirAll(filepath.Join(dir, "web", ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, "web", ".git", "config"), []byte("secret"), 0o644)
	outside := filepath.Join(t.TempDir(), "outside.txt")
	os.WriteFile(outside, []byte("secret"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "web", "link.txt"))
	s, err := NewSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func get(s http.Handler, path string, gz bool) *http.Response {
	r := httptest.NewRequest("GET", "http://x", nil)
	r.URL.Path = path // as sent, undecoded tricks included
	r.RequestURI = path
	if gz {
		r.Header.Set("Accept-Encoding", "gzip, br")
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w.Result()
}

func TestServesTheSiteWithTypes(t *testing.T) {
	s, _ := testSite(t)
	cases := []struct{ path, ctype, enc string }{
		{"/", "text/html; charset=utf-8", "gzip"},
		{"/web/app.wasm", "application/wasm", "gzip"},
		{"/web/loader.js", "text/javascript; charset=utf-8", "gzip"},
		{"/sw.js", "text/javascript; charset=utf-8", "gzip"},
		{"/web/data/t.gz", "application/gzip", ""},
	}
	for _, c := range cases {
		resp := get(s, c.path, true)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != c.ctype || resp.Header.Get("Content-Encoding") != c.enc {
			t.Errorf("%s: %d %q %q", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"))
		}
	}
	resp := get(s, "/web/app.wasm", true)
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if len(body) != 5004 || string(body[:4]) != "\x00asm" {
		t.Errorf("gzipped wasm decodes to %d bytes", len(body))
	}
	if resp := get(s, "/web/app.wasm", false); resp.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that did not ask for it")
	}
}

func TestServesAFreshPrecompressedFile(t *testing.T) {
	s, dir := testSite(t)
	var b strings.Builder
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("precompressed"))
	zw.Close()
	gz := filepath.Join(dir, "web", "loader.js.gz")
	os.WriteFile(gz, []byte(b.String()), 0o644)
	read := func() string {
		zr, err := gzip.NewReader(get(s, "/web/loader.js", true).Body)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(zr)
		return string(body)
	}
	if got := read(); got != "precompressed" {
		t.Errorf("served %q, want the .gz sibling", got)
	}
	// A .gz older than its file is stale and ignored.
	old := time.Now().Add(-time.Hour)
	os.Chtimes(gz, old, old)
	if got := read(); got != "console.log(1)" {
		t.Errorf("served %q from a stale .gz", got)
	}
}

func TestServesBrotliWhenAcceptedAndFresh(t *testing.T) {
	s, dir := testSite(t)
	br := filepath.Join(dir, "web", "app.wasm.br")
	os.WriteFile(br, []byte("brotli bytes"), 0o644)
	send := func(accept string) *http.Response {
		r := httptest.NewRequest("GET", "/web/app.wasm", nil)
		r.Header.Set("Accept-Encoding", accept)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Result()
	}
	resp := send("gzip, deflate, br, zstd")
	body, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") != "br" || string(body) != "brotli bytes" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("br: %q %q %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"), body)
	}
	for _, accept := range []string{"gzip", "gzip, br;q=0"} {
		if enc := send(accept).Header.Get("Content-Encoding"); enc != "gzip" {
			t.Errorf("Accept-Encoding %q got %q, want gzip", accept, enc)
		}
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(br, old, old)
	if enc := send("br, gzip").Header.Get("Content-Encoding"); enc != "gzip" {
		t.Errorf("a stale .br was served (%q)", enc)
	}
}

func TestRefusesPathsOutsideTheSite(t *testing.T) {
	s, _ := testSite(t)
	for _, p := range []string{"/go.mod", "/../go.mod", "/web/../go.mod", "/web/..%2fgo.mod", "/web/.git/config",
		"/web/link.txt", "/web/%2e%2e/go.mod", "/web/nope.js", "/web/data"} {
		resp := get(s, p, false)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || strings.Contains(string(body), "secret") {
			t.Errorf("%s: %d %q", p, resp.StatusCode, body)
		}
	}
	r := httptest.NewRequest("POST", "/", nil)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
}

func TestNoIndexIsAnError(t *testing.T) {
	if _, err := NewSite(t.TempDir()); err == nil || !strings.Contains(err.Error(), "index.html") {
		t.Errorf("error %v", err)
	}
}
