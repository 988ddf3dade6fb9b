package browsertest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aeplay/scripts/internal/site"
)

func TestPauseStepResumeStop(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, ts.URL+"/#model=simple&epochs=40&samples=20000&val=0&batch=32&autostart=1", 1280, 900, 1)
	p.waitFor("training", `document.body.dataset.state === "training" && document.getElementById("stat-epoch").textContent.startsWith("epoch")`, 60*time.Second)
	p.click("train") // the Train button pauses a run
	p.waitFor("paused", `document.body.dataset.state === "paused"`, 10*time.Second)
	if got := p.text("train"); got != " Resume" || !eval[bool](p, `!!document.querySelector("#train .icon.play")`) {
		t.Errorf("the Train button reads %q while paused", got)
	}
	before := p.text("stat-epoch")
	if eta := p.text("stat-eta"); eta != "paused" {
		t.Errorf("while paused the ETA reads %q", eta)
	}
	time.Sleep(800 * time.Millisecond)
	if after := p.text("stat-epoch"); after != before {
		t.Fatalf("training went on while paused: %q then %q", before, after)
	}
	p.screenshot("03-paused")
	p.click("step")
	p.waitFor("one step", fmt.Sprintf(`document.getElementById("stat-epoch").textContent !== %q`, before), 10*time.Second)
	if st := eval[string](p, `document.body.dataset.state`); st != "paused" {
		t.Errorf("after Step the state is %q, want paused", st)
	}
	stepped := p.text("stat-epoch")
	// Space resumes, as the Train button would.
	eval[bool](p, `document.activeElement.blur(), window.dispatchEvent(new KeyboardEvent("keydown", {key: " ", bubbles: true})), true`)
	p.waitFor("resumed", fmt.Sprintf(`document.body.dataset.state === "training" && document.getElementById("stat-epoch").textContent !== %q`, stepped), 10*time.Second)
	p.click("stop")
	p.waitFor("stopped", `document.body.dataset.state === "idle" && document.getElementById("status").textContent.startsWith("Stopped")`, 10*time.Second)
	if src := p.text("source"); strings.Contains(src, "0 epochs") || !strings.Contains(src, "part of an epoch") {
		t.Errorf("stopped in the first epoch, the source line says %q", src)
	}
	p.noConsoleErrors()
}

func TestHashReproducesSettings(t *testing.T) {
	ts := serve(t, nil)
	hash := "model=deep&preset=custom&epochs=7&batch=64&lr=0.002&samples=5000&val=100&noise=0.1&seed=9"
	p := openIdle(t, ts.URL+"/#"+hash)
	got := eval[string](p, `["epochs","batch","lr","samples","val","noise","seed","preset"].map(id => document.getElementById(id).value).join(" ")`)
	if got != "7 64 0.002 5000 100 0.1 9 custom" {
		t.Errorf("controls show %q", got)
	}
	if sel := eval[string](p, `document.querySelector('[role=tab][aria-selected=true]').dataset.model`); sel != "deep" {
		t.Errorf("selected tab %q", sel)
	}
	if h := eval[string](p, `location.hash`); h != "#"+hash {
		t.Errorf("hash rewritten to %q", h)
	}
	// Editing a control updates the address; choosing a preset too.
	eval[bool](p, `(() => { const e = document.getElementById("epochs"); e.value = "12"; e.dispatchEvent(new Event("change")); return true })()`)
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "epochs=12") {
		t.Errorf("after editing epochs the hash is %q", h)
	}
	eval[bool](p, `(() => { const e = document.getElementById("preset"); e.value = "seed"; e.dispatchEvent(new Event("change")); return true })()`)
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "preset=seed&epochs=50&batch=256") {
		t.Errorf("after choosing the seed recipe the hash is %q", h)
	}
	if d := p.text("preset-desc"); !strings.Contains(d, "50 epochs on 60,000 digits") {
		t.Errorf("preset description %q", d)
	}
	// A bad value in a link is ignored, and the page says so.
	p2 := open(t, ts.URL+"/#model=conv&epochs=-4", 1280, 900, 1)
	p2.waitFor("the grid", `document.body.dataset.state === "idle"`, 30*time.Second)
	if s := p2.text("status"); !strings.Contains(s, "epochs=-4") {
		t.Errorf("status after a bad link: %q", s)
	}
}

// TestEmbed: the compact widget fits a 640x420 iframe without scrollbars,
// inside a host page served without cross-origin isolation headers.
func TestEmbed(t *testing.T) {
	host := []byte(`<!doctype html><title>A blog post</title><link rel="icon" href="data:,"><p>My post about autoencoders.</p>
<iframe id="widget" src="/#model=conv&embed=1" width="640" height="420" style="border:1px solid #ccc"></iframe>`)
	ts := serve(t, map[string][]byte{"/web/host.html": host})
	p := open(t, ts.URL+"/#model=conv&embed=1&hide=reset", 640, 420, 2)
	p.waitIdle()
	p.screenshot("04-embed")
	fits := eval[string](p, `(() => { const d = document.documentElement;
		return [d.scrollWidth <= innerWidth, d.scrollHeight <= innerHeight,
			document.getElementById("train").offsetParent !== null,
			document.getElementById("open-full").offsetParent !== null,
			getComputedStyle(document.querySelector(".story")).display === "none",
			document.getElementById("source").offsetParent !== null,
			document.getElementById("reset").offsetParent === null].join(" ") })()`)
	if fits != "true true true true true true true" {
		t.Errorf("embed layout (fits width, fits height, Train shown, link shown, story hidden, status shown, Reset hidden by hide=): %s", fits)
	}
	h := open(t, ts.URL+"/web/host.html", 800, 600, 1)
	h.waitFor("the widget's grid", `(() => { const d = document.getElementById("widget").contentDocument; return d && d.body && d.body.dataset.state === "idle" })()`, 30*time.Second)
	h.screenshot("05-embed-in-host-page")
	coi := eval[bool](h, `window.crossOriginIsolated === true`)
	if coi {
		t.Error("the host page is cross-origin isolated; the test means to show the widget works without it")
	}
	if errs := append(p.errors(), h.errors()...); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

func TestBrokenDataIsShownInThePage(t *testing.T) {
	ts := serve(t, map[string][]byte{"/web/data/sample-images-idx3-ubyte.gz": []byte("<html>not data</html>")})
	p := open(t, ts.URL+"/", 1280, 900, 1)
	p.waitFor("the error", `!document.getElementById("alert").hidden`, 30*time.Second)
	p.screenshot("06-corrupt-data")
	if msg := p.text("alert-msg"); !strings.Contains(msg, "damaged") || !strings.Contains(msg, "sample-images-idx3-ubyte.gz") {
		t.Errorf("alert %q", msg)
	}

	// Training data that is missing: the run fails in words, the page lives.
	ts2 := serve(t, map[string][]byte{"/web/data/train-images-idx3-ubyte.gz": nil})
	p2 := open(t, ts2.URL+"/#model=simple&samples=100&val=0&epochs=1&autostart=1", 1280, 900, 1)
	p2.waitFor("the error", `!document.getElementById("alert").hidden && document.body.dataset.state === "idle"`, 30*time.Second)
	if msg := p2.text("alert-msg"); !strings.Contains(msg, "Could not load the training digits") || !strings.Contains(msg, "404") {
		t.Errorf("alert %q", msg)
	}
}

// TestDataDecodedByTheServer: a server that sends the digits' .gz files
// with Content-Encoding: gzip, so that the browser hands over the IDX
// bytes themselves, still gets its first grid: the loader's gzip decoding
// fails on them, and the worker fetches the files again and reads them as
// they are.
func TestDataDecodedByTheServer(t *testing.T) {
	s, err := site.NewSite(root)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	asked := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/web/data/sample-") {
			b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(r.URL.Path)))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			mu.Lock()
			asked++
			mu.Unlock()
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(b)
			return
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	p := open(t, ts.URL+"/", 1280, 900, 1)
	p.waitFor("the first grid", `document.body.dataset.firstGridMs !== undefined`, 30*time.Second)
	if !eval[bool](p, `document.getElementById("alert").hidden`) {
		t.Errorf("alert %q", p.text("alert-msg"))
	}
	p.noConsoleErrors()
	mu.Lock()
	defer mu.Unlock()
	if asked < 4 { // two files, each by the loader and then by the worker
		t.Errorf("the sample files were asked for %d times: the worker did not fetch them after the loader's decoding failed", asked)
	}
}

func TestCrashedWorkerIsShownWithReset(t *testing.T) {
	crash := []byte(`importScripts("wasm_exec.js"); self.onmessage = () => { throw new Error("simulated crash") };`)
	ts := serve(t, map[string][]byte{"/web/worker.js": crash})
	p := open(t, ts.URL+"/", 1280, 900, 1)
	p.waitFor("the error", `!document.getElementById("alert").hidden`, 30*time.Second)
	p.screenshot("07-worker-crashed")
	if msg := p.text("alert-msg"); !strings.Contains(msg, "worker crashed") || !strings.Contains(msg, "simulated crash") {
		t.Errorf("alert %q", msg)
	}
	if hidden := eval[bool](p, `document.getElementById("alert-action").hidden`); hidden {
		t.Error("no Reset button offered")
	}
	// The loader's worker crashed before it sent the compiled code: the
	// page compiled it itself.
	if where := eval[string](p, `document.body.dataset.compiled`); where != "page" {
		t.Errorf("the code was compiled in the %q, not the page", where)
	}
}

// TestMainThreadStaysResponsive: while the worker trains, the page's main
// thread is mostly free. Training on the main thread would fill the whole
// run with long tasks (over 50 ms, the browser's threshold); a busy machine
// (go test runs other packages beside this one) makes a few short ones. So
// the test compares a share, not a duration: long tasks must take under a
// tenth of the run, and none may be a stall of a second.
func TestMainThreadStaysResponsive(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=conv&epochs=2&samples=600&val=200&batch=32")
	eval[bool](p, `window.longTasks = [], new PerformanceObserver(l => longTasks.push(...l.getEntries().map(e => Math.round(e.duration)))).observe({type: "longtask"}), window.runStart = performance.now(), true`)
	p.click("train")
	p.waitFor("the run to finish", `document.getElementById("log").textContent.includes("Epoch 2/2") && document.body.dataset.state === "idle"`, 120*time.Second)
	run := eval[float64](p, `performance.now() - runStart`)
	long := eval[[]int](p, `longTasks`)
	total := 0
	for _, d := range long {
		total += d
	}
	t.Logf("main-thread tasks over 50 ms during a %.0f ms run: %v ms (%.1f%% of it)", run, long, 100*float64(total)/run)
	if float64(total) > run/10 || slices.Max(append(long, 0)) > 1000 {
		t.Errorf("the main thread stalled during training: tasks of %v ms in a %.0f ms run", long, run)
	}
}

// TestWasmExecMatchesGo: web/wasm_exec.js is the one of the Go that built
// web/app.wasm, unedited.
func TestWasmExecMatchesGo(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(root, "web", "wasm_exec.js"))
	if !bytes.Equal(got, want) {
		t.Error("web/wasm_exec.js differs from this Go's lib/wasm/wasm_exec.js: run make build")
	}
	wasm, _ := os.ReadFile(filepath.Join(root, "web", "app.wasm"))
	if !bytes.Contains(wasm, []byte(runtime.Version())) {
		t.Errorf("web/app.wasm was not built by %s: run make build", runtime.Version())
	}
}
