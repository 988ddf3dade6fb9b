package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"aeplay/scripts/internal/browser"
	"aeplay/scripts/internal/site"
)

// root is the repository's root, where the built site is, or the built
// checkout AEPLAY_SITE_ROOT names (to compare two versions' first loads in
// alternating runs).
var root = func() string {
	if r := os.Getenv("AEPLAY_SITE_ROOT"); r != "" {
		return r
	}
	abs, _ := filepath.Abs("../..")
	return abs
}()

func TestMain(m *testing.M) {
	for _, f := range []string{"web/app.wasm", "web/wasm_exec.js", "web/data/sample-images-idx3-ubyte.gz", "web/models/simple.safetensors"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			fmt.Fprintf(os.Stderr, "browsertest: %s is missing: run `make build` (make test does) first\n", f)
			os.Exit(1)
		}
	}
	if err := browser.Check(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		os.Exit(1)
	}
	os.MkdirAll(filepath.Join(root, "test-artifacts"), 0o755)
	code := m.Run()
	sharedChromium.Close()
	os.Exit(code)
}

// sharedChromium is the browser of every page the tests open (open): each in a
// browser context of its own, as fresh as a new profile.
var sharedChromium browser.Shared

// serve starts the site, with some files replaced (path → content; nil
// content means 404), as a test server.
func serve(t *testing.T, overrides map[string][]byte) *httptest.Server {
	t.Helper()
	s, err := site.NewSite(root)
	if err != nil {
		t.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := overrides[r.URL.Path]; ok {
			if b == nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/octet-stream")
			switch {
			case strings.HasSuffix(r.URL.Path, ".js"):
				w.Header().Set("Content-Type", "text/javascript")
			case strings.HasSuffix(r.URL.Path, ".html"):
				w.Header().Set("Content-Type", "text/html")
			}
			w.Write(b)
			return
		}
		s.ServeHTTP(w, r)
	})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// page is one browser tab on the site.
type page struct {
	t       *testing.T
	ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// open opens a tab of the shared browser, in a browser context of its own,
// with a viewport of w×h CSS pixels at device scale dpr, and loads url.
func open(t *testing.T, url string, w, h int, dpr float64) *page {
	t.Helper()
	ctx, cancel, err := sharedChromium.Tab(w, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return start(t, ctx, url, w, h, dpr)
}

// start sets up the tab of ctx as a page and loads url.
func start(t *testing.T, ctx context.Context, url string, w, h int, dpr float64) *page {
	t.Helper()
	p := &page{t: t, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h), chromedp.EmulateScale(dpr))); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("loading %s: %v", url, err)
	}
	return p
}

// openAlone is open in a browser of its own, launched for it: the first
// load's measurements (TestFirstLoadIsLight's phases, which make bench
// prints) are then taken as they always were, in a browser with nothing
// else in it.
func openAlone(t *testing.T, url string, w, h int, dpr float64) *page {
	t.Helper()
	ctx, cancel := browser.New(t.TempDir(), w, h)
	t.Cleanup(cancel)
	return start(t, ctx, url, w, h, dpr)
}

// openIdle opens url at a desktop size and waits for the first grid.
func openIdle(t *testing.T, url string) *page {
	t.Helper()
	p := open(t, url, 1280, 900, 1)
	p.waitIdle()
	return p
}

// waitIdle waits until the page shows a model and does nothing.
func (p *page) waitIdle() {
	p.t.Helper()
	p.waitFor("the grid", `document.body.dataset.state === "idle"`, 30*time.Second)
}

// noConsoleErrors fails the test if the console has errors or exceptions.
func (p *page) noConsoleErrors() {
	p.t.Helper()
	if errs := p.errors(); len(errs) > 0 {
		p.t.Errorf("console errors: %v", errs)
	}
}

// visit loads url in the page's tab.
func (p *page) visit(url string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		p.t.Fatalf("loading %s: %v", url, err)
	}
}

// eval runs a JavaScript expression and decodes its JSON value into T.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it is truthy. A timeout fails
// the test with the page's status and a screenshot, so a failure says why.
func (p *page) waitFor(what, cond string, timeout time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	var err error
	for {
		_, err = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
		// A navigation under way replaces the page's JavaScript context
		// while the poll runs in it: poll again in the new one.
		if err != nil && ctx.Err() == nil && (strings.Contains(err.Error(), "Cannot find context") || strings.Contains(err.Error(), "context was destroyed")) {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		break
	}
	if err != nil {
		p.screenshot("failed-" + strings.ReplaceAll(p.t.Name(), "/", "-"))
		status := eval[string](p, `[document.body.dataset.state, document.getElementById("status")?.textContent, document.getElementById("alert-msg")?.textContent].join(" | ")`)
		p.t.Fatalf("waiting for %s: %v\npage: %s\nconsole: %v", what, err, status, p.messages())
	}
}

func (p *page) click(id string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.ID(id))); err != nil {
		p.t.Fatalf("clicking #%s: %v", id, err)
	}
}

// screenshot saves the viewport as test-artifacts/<name>.png.
func (p *page) screenshot(name string) {
	b, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.WriteFile(filepath.Join(root, "test-artifacts", name+".png"), b, 0o644)
}

func (p *page) messages() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		out = append(out, m.String())
	}
	return out
}

// errors returns the console's errors and exceptions.
func (p *page) errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			out = append(out, m.String())
		}
	}
	return out
}

// text returns an element's textContent.
func (p *page) text(id string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`document.getElementById(%q).textContent`, id))
}

// canvasStats reads a grid row's pixels and returns, per digit cell, the
// mean grey level (0..1) over the cell: enough to tell blank from drawn and
// to compare rows.
type rowPixels struct {
	W, H  int
	Cells [][]float64 // per cell, the grey value of each sampled pixel
}

func (p *page) row(i int) rowPixels {
	p.t.Helper()
	var r rowPixels
	if err := json.Unmarshal([]byte(eval[string](p, rowScript(i))), &r); err != nil {
		p.t.Fatal(err)
	}
	return r
}

// rowScript reads row i of the document's grid as JSON (rowPixels), its
// cells where the page says it drew them (data-geometry: the first cell's
// corner, a cell's side and the gap, in device pixels, and how many;
// data-per-line).
func rowScript(i int) string {
	return fmt.Sprintf(`(() => {
		const c = document.querySelector('#grid canvas[data-row="%d"]');
		const ctx = c.getContext('2d');
		const d = ctx.getImageData(0, 0, c.width, c.height).data;
		const [left, top, cell, gap, n] = c.dataset.geometry.split(" ").map(Number);
		const per = +document.getElementById("grid").dataset.perLine, cells = [];
		for (let k = 0; k < n; k++) {
			const x0 = left + k %% per * (cell + gap), y0 = top + Math.floor(k / per) * (cell + gap), v = [];
			for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
				const px = x0 + Math.floor((x + 0.5) * cell / 28), py = y0 + Math.floor((y + 0.5) * cell / 28);
				v.push(d[(py * c.width + px) * 4] / 255);
			}
			cells.push(v);
		}
		return JSON.stringify({W: c.width, H: c.height, Cells: cells});
	})()`, i)
}

// downloads lets the tab download into a new directory and returns it.
func (p *page) downloads() string {
	p.t.Helper()
	dir := p.t.TempDir()
	if err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID})
		return err
	})); err != nil {
		p.t.Fatal(err)
	}
	return dir
}

// downloaded waits for one file matching the glob pattern in dir with more
// than minSize bytes (a download written to its end) and returns its path.
func downloaded(t *testing.T, dir, pattern string, minSize int64) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(dir, pattern)); len(m) == 1 {
			if st, err := os.Stat(m[0]); err == nil && st.Size() > minSize {
				return m[0]
			}
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no download %s in %s: %v", pattern, dir, entries)
		}
	}
}

// loadsBack saves the weights on show in p, loads the file on a fresh page
// that opens on another model (start, a hash), and checks that page comes to
// the saved model's tab with the same reconstructions; it returns the page.
func loadsBack(t *testing.T, p *page, base, start, glob string, minSize int64, tab string, trained rowPixels) *page {
	t.Helper()
	dir := p.downloads()
	p.click("save")
	file := downloaded(t, dir, glob, minSize)
	q := openIdle(t, base+"/"+start)
	if err := chromedp.Do(q.ctx, chromedp.SetUploadFiles(chromedp.ID("load"), []string{file})); err != nil {
		t.Fatal(err)
	}
	q.waitFor("the loaded file", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Loaded from `+filepath.Base(file)+`")`, 20*time.Second)
	if sel := eval[string](q, `document.querySelector("#model-tabs [aria-selected=true]")?.id`); sel != tab {
		t.Errorf("after loading %s the selected tab is %q, want %s", filepath.Base(file), sel, tab)
	}
	time.Sleep(300 * time.Millisecond)
	if got := q.row(2); !reflect.DeepEqual(got, trained) {
		t.Errorf("the model loaded from %s predicts differently from the trained one", filepath.Base(file))
	}
	return q
}
