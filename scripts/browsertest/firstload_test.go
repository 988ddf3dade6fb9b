package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"aeplay/scripts/internal/site"
)

// countingServer serves the site and counts the body bytes it sends (what
// goes over the wire, compressed where the server compresses) per path.
type countingServer struct {
	*httptest.Server
	mu    sync.Mutex
	bytes map[string]int
}

func newCountingServer(t *testing.T) *countingServer {
	s, err := site.NewSite(root)
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingServer{bytes: map[string]int{}}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		s.ServeHTTP(cw, r)
		cs.mu.Lock()
		cs.bytes[r.URL.Path] += cw.n
		cs.mu.Unlock()
	}))
	t.Cleanup(cs.Close)
	return cs
}

type countingWriter struct {
	http.ResponseWriter
	n int
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += n
	return n, err
}

func (cs *countingServer) total() (int, string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var paths []string
	sum := 0
	for p, n := range cs.bytes {
		paths = append(paths, fmt.Sprintf("%s %d", p, n))
		sum += n
	}
	sort.Strings(paths)
	return sum, strings.Join(paths, ", ")
}

// firstLoadBudget is the most the page may transfer before its first grid:
// compressed wasm, a sample of test digits, the default model's weights.
const firstLoadBudget = 1_300_000

// TestFirstLoadIsLight: the first grid needs at most 1.3 MB (the speed
// issue's target), and the training set is not fetched until training
// starts. The time to the first
// grid is printed (BENCH line), not asserted: timings are for benchmarks.
func TestFirstLoadIsLight(t *testing.T) {
	cs := newCountingServer(t)
	p := openAlone(t, cs.URL+"/", 1280, 900, 1)
	p.waitFor("the first grid", `document.body.dataset.firstGridMs !== undefined`, 30*time.Second)
	ms := eval[string](p, `document.body.dataset.firstGridMs`)
	phases := eval[string](p, `(() => { const n = performance.getEntriesByType("navigation")[0];
		const m = name => Math.round((performance.getEntriesByName(name)[0] || {startTime: NaN}).startTime);
		return "html " + Math.round(n.responseEnd) + ", code fetched " + m("aeplay-code-fetched") +
			", compiled " + m("aeplay-compiled") + ", page running " + m("aeplay-page-start") +
			", model ready " + m("aeplay-ready") + ", grid " + m("aeplay-first-grid") })()`)
	fmt.Fprintf(os.Stderr, "BENCH first-load phases (ms after navigation): %s\n", phases)
	sum, detail := cs.total() // at the first grid, before what the page does next
	// What Lighthouse weighs: the largest contentful paint as this browser
	// reports it, and the main thread's tasks over 50 ms until the grid.
	paints := eval[string](p, `new Promise((done) => {
		const grid = performance.getEntriesByName("aeplay-first-grid")[0].startTime;
		const seen = {};
		const finish = () => done("LCP " + (seen.lcp || "none") + "; tasks over 50 ms before the grid: " + (seen.long || "none"));
		new PerformanceObserver((l) => { const e = l.getEntries().pop(); seen.lcp = Math.round(e.startTime) + " ms, " + (e.element ? e.element.tagName.toLowerCase() : "?") + " " + (e.url ? e.url.split("/").pop() : "text"); }).observe({ type: "largest-contentful-paint", buffered: true });
		new PerformanceObserver((l) => { seen.long = l.getEntries().filter((e) => e.startTime < grid).map((e) => Math.round(e.duration) + " at " + Math.round(e.startTime)).join(", "); }).observe({ type: "longtask", buffered: true });
		setTimeout(finish, 200);
	})`)
	fmt.Fprintf(os.Stderr, "BENCH first-load paints: %s\n", paints)
	fmt.Fprintf(os.Stderr, "BENCH first-load: %d bytes transferred, first grid drawn %s ms after navigation (%s)\n", sum, ms, detail)
	if sum > firstLoadBudget {
		t.Errorf("first load transferred %d bytes, over the %d budget: %s", sum, firstLoadBudget, detail)
	}
	if strings.Contains(detail, "train-images") || strings.Contains(detail, "t10k-images") {
		t.Errorf("full data sets fetched before training: %s", detail)
	}
}

// TestPhoneLayout: on a phone-sized screen the columns stack and nothing
// overflows sideways.
func TestPhoneLayout(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, ts.URL+"/#model=conv", 390, 844, 3)
	p.waitIdle()
	p.screenshot("08-phone")
	if over := eval[bool](p, `document.documentElement.scrollWidth > innerWidth`); over {
		t.Error("the page scrolls sideways on a phone")
	}
	for _, panel := range []string{"map", "interp", "draw", "compare", "data"} {
		p.click("xtab-" + panel)
		if panel == "compare" {
			p.click("compare-go")
			p.waitFor("the comparison", `document.body.dataset.compared !== undefined`, 60*time.Second)
		}
		if over := eval[bool](p, `document.documentElement.scrollWidth > innerWidth`); over {
			t.Errorf("the %s panel makes the page scroll sideways on a phone", panel)
		}
	}
	p.shot("09-phone-compare", "explore")
	// On a phone: the digits first, then what the model is, before the
	// controls; row labels are whole words on one line; the log wraps.
	top := func(sel string) float64 {
		return eval[float64](p, `document.querySelector("`+sel+`").getBoundingClientRect().top + scrollY`)
	}
	if grid, story, controls := top("#grid"), top(".story article:not([hidden])"), top("#controls"); !(grid < story && story < controls) {
		t.Errorf("phone order: grid at %.0f, the model's explanation at %.0f, controls at %.0f", grid, story, controls)
	}
	if broken := eval[[]string](p, `[...document.querySelectorAll("#grid .row-label")].filter(l => l.getClientRects().length > 1 || l.offsetHeight > 1.6 * parseFloat(getComputedStyle(l).lineHeight)).map(l => l.textContent)`); len(broken) > 0 {
		t.Errorf("row labels broken across lines: %q", broken)
	}
	if digit := eval[float64](p, `document.querySelector("#grid canvas").getBoundingClientRect().width / +document.getElementById("grid").dataset.perLine`); digit < 40 {
		t.Errorf("digits %.0f CSS px wide on a phone", digit)
	}
	if eval[bool](p, `(() => { const l = document.getElementById("log"); return l.scrollWidth > l.clientWidth })()`) {
		t.Error("the log scrolls sideways on a phone")
	}
}

// TestFirstLoadDoesNotShift: the page's layout is in index.html and
// style.css before the WebAssembly arrives (the grid's rows, the layer
// table's, the lines the page fills in), so the first load's cumulative
// layout shift, as the browser reports it, stays within 0.1 ("good" in
// Lighthouse's terms) on a desktop and a phone screen. Not a timing: a
// fact of the layout.
func TestFirstLoadDoesNotShift(t *testing.T) {
	ts := serve(t, nil)
	for _, c := range []struct {
		name string
		hash string
		w, h int
		dpr  float64
	}{
		{"desktop", "", 1280, 900, 1},
		{"phone", "", 390, 844, 3},
		{"desktop conv", "#model=conv", 1280, 900, 1},
		{"phone denoise", "#model=denoise", 390, 844, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := openAlone(t, ts.URL+"/"+c.hash, c.w, c.h, c.dpr)
			p.waitIdle()
			// Two frames after the grid, so that its drawing is laid out.
			cls := eval[float64](p, `new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
				let sum = 0;
				new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value; })
					.observe({type: "layout-shift", buffered: true});
				setTimeout(() => done(sum), 50);
			})))`)
			fmt.Fprintf(os.Stderr, "BENCH first-load layout shift, %s: %.4f\n", c.name, cls)
			if cls > 0.1 {
				p.screenshot("failed-shift-" + strings.ReplaceAll(c.name, " ", "-"))
				t.Errorf("cumulative layout shift %.3f on the first load, over 0.1", cls)
			}
		})
	}
}

// TestCodeDownloadShowsProgress: while the code downloads (slowly here:
// the server sends it 64 kB at a time), the status line says how much of
// it has arrived, as the worker that compiles it reports; then the page
// starts as ever, with the code compiled in that worker.
func TestCodeDownloadShowsProgress(t *testing.T) {
	s, err := site.NewSite(root)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/web/app.wasm" {
			w = &slowWriter{ResponseWriter: w}
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	p := open(t, ts.URL+"/", 1280, 900, 1)
	p.waitFor("the download's progress", `/^Loading the network code… \d+\.\d MB$/.test(document.getElementById("status").textContent)`, 30*time.Second)
	p.waitIdle()
	if where := eval[string](p, `document.body.dataset.compiled`); where != "worker" {
		t.Errorf("the code was compiled in the %q, not the worker", where)
	}
}

// slowWriter sends a response 64 kB at a time, 40 ms apart.
type slowWriter struct{ http.ResponseWriter }

func (s *slowWriter) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		k := min(len(b), 64<<10)
		m, err := s.ResponseWriter.Write(b[:k])
		n += m
		if err != nil {
			return n, err
		}
		if f, ok := s.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		time.Sleep(40 * time.Millisecond)
		b = b[k:]
	}
	return n, nil
}
