package browsertest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWorkersAgree: the same run with one worker, with two (the batch
// shared between them, gradients summed, the same Adam step in each) and
// with four, more workers than this machine's two cores (what WebKit
// picks here, as it reports 4), gives the same loss curve, within float
// tolerance.
func TestWorkersAgree(t *testing.T) {
	ts := serve(t, nil)
	run := "model=conv&epochs=2&samples=512&val=256&batch=64&lr=0.003&seed=5&autostart=1"
	var curves [][]float64
	for _, n := range []int{1, 2, 4} {
		p := open(t, fmt.Sprintf("%s/#%s&workers=%d", ts.URL, run, n), 1280, 900, 1)
		p.waitFor("the run to finish", `document.getElementById("log").textContent.includes("Epoch 2/2") && document.body.dataset.state === "idle"`, 120*time.Second)
		if got := eval[string](p, `document.getElementById("workers").value`); got != fmt.Sprint(n) {
			t.Errorf("workers picker shows %s, want %d", got, n)
		}
		curves = append(curves, p.valLosses())
		log := p.text("log")
		t.Logf("%d worker(s): %s", n, log)
		// The log says which kernel ran: Chromium has SIMD.
		if want := fmt.Sprintf("(%s, kernel simd", map[int]string{1: "1 worker", 2: "2 workers", 4: "4 workers"}[n]); !strings.Contains(log, want) {
			t.Errorf("the log does not say %q", want)
		}
		if errs := p.errors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	}
	for k, c := range curves {
		if len(c) != 3 {
			t.Fatalf("val losses %v", curves)
		}
		for i := range c {
			// The log rounds to 4 decimals; summing shards reorders float additions.
			if d := math.Abs(curves[0][i] - c[i]); d > 2e-4 {
				t.Errorf("val loss %d: %v with one worker, %v with %d", i, curves[0][i], c[i], []int{1, 2, 4}[k])
			}
		}
	}
}

// measuredLine reads the log's "Measured 1 worker 9,000 samples/s, 2
// workers …: training with N worker(s)": the speeds by count and N.
var measuredLine = regexp.MustCompile(`Measured (.*): training with (\d+) workers?`)
var measuredCount = regexp.MustCompile(`(\d+) workers? ([0-9,]+) samples/s`)

func measured(t *testing.T, log string) (speeds map[int]float64, chosen int) {
	t.Helper()
	m := measuredLine.FindStringSubmatch(log)
	if m == nil {
		return nil, 0
	}
	speeds = map[int]float64{}
	for _, c := range measuredCount.FindAllStringSubmatch(m[1], -1) {
		n, _ := strconv.Atoi(c[1])
		v, _ := strconv.ParseFloat(strings.ReplaceAll(c[2], ",", ""), 64)
		speeds[n] = v
	}
	chosen, _ = strconv.Atoi(m[2])
	return speeds, chosen
}

// TestWorkerCountMeasured: with the worker count on auto, the first run
// measures 1 to the started workers and trains with the fastest, which
// the header names and the log records; the next run, and the next visit,
// use the kept measurement without measuring again. The forced case:
// batches of 8 on the simple model, where a second worker's exchange of
// 50,992 gradients a step costs far more than its half of 8 digits saves,
// so 1 worker must win. conv with batches of 256 must pick whatever it
// measured fastest too (2 workers, here, where cores allow).
func TestWorkerCountMeasured(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=simple&batch=8&epochs=1&samples=1200&val=200")
	started := eval[int](p, `Math.max(1, Math.min(navigator.hardwareConcurrency, 4))`)
	if started < 2 {
		t.Skipf("the browser reports %d core(s): nothing to choose", started)
	}
	if got := eval[string](p, `document.getElementById("workers").value`); got != "0" {
		t.Errorf("the workers picker shows %q, want auto (0)", got)
	}
	if why := p.text("workers-why"); !strings.Contains(why, "measured on the first run") {
		t.Errorf("before any run, the header says %q", why)
	}
	train := func() string {
		// A run of 1,200 digits can start and end between two polls: the
		// page's own record of its states says it trained.
		eval[bool](p, `(() => { window.trained = false; new MutationObserver(rs => { if (rs.some(r => r.oldValue === "training") || document.body.dataset.state === "training") window.trained = true })
			.observe(document.body, {attributes: true, attributeFilter: ["data-state"], attributeOldValue: true}); return true })()`)
		p.click("train")
		p.waitFor("the run to finish", `window.trained && document.body.dataset.state === "idle"`, 120*time.Second)
		return p.text("log")
	}
	log := train()
	speeds, chosen := measured(t, log)
	if len(speeds) != started || chosen != 1 {
		t.Fatalf("batch 8 of simple: measured %v and chose %d, want %d counts measured and 1 chosen; log:\n%s", speeds, chosen, started, log)
	}
	for n, v := range speeds {
		if n != 1 && v >= speeds[1] {
			t.Errorf("%d workers measured %v samples/s, 1 worker %v: 1 should be faster at batch 8", n, v, speeds[1])
		}
	}
	if !strings.Contains(log, "(measuring 1 to") || !strings.Contains(log, "Epoch 1/1") {
		t.Errorf("the run does not say it measured first, or did not train after:\n%s", log)
	}
	if why := p.text("workers-why"); !strings.HasPrefix(why, "1 worker: ") || !strings.Contains(why, "slower for this model here") {
		t.Errorf("after measuring, the header says %q", why)
	}
	// The next run trusts the measurement.
	log = train()
	if s, _ := measured(t, log); s != nil || !strings.Contains(log, "(1 worker, measured the fastest here") {
		t.Errorf("the second run measured again or did not say why 1 worker:\n%s", log)
	}
	// So does the next visit, and a reader's own count overrides it.
	p.visit("about:blank")
	p.visit(ts.URL + "/#model=simple&batch=8&epochs=1&samples=1200&val=200")
	p.waitIdle()
	if why := p.text("workers-why"); !strings.HasPrefix(why, "1 worker: ") {
		t.Errorf("on the next visit, the header says %q", why)
	}
	// conv at batch 256: whichever count measures fastest is the one used.
	p.visit("about:blank")
	p.visit(ts.URL + "/#model=conv&batch=256&epochs=1&samples=2048&val=256")
	p.waitIdle()
	log = train()
	speeds, chosen = measured(t, log)
	if len(speeds) != started {
		t.Fatalf("conv: measured %v; log:\n%s", speeds, log)
	}
	for n, v := range speeds {
		if v > speeds[chosen] {
			t.Errorf("conv: chose %d workers (%v samples/s) but %d measured %v", chosen, speeds[chosen], n, v)
		}
	}
	if !strings.Contains(log, "Epoch 1/1") {
		t.Errorf("conv: the run did not train after measuring:\n%s", log)
	}
	t.Logf("conv measured %v, chose %d", speeds, chosen)
	p.noConsoleErrors()
}
