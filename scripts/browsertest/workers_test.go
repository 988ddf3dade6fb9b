package browsertest

import (
	"fmt"
	"math"
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
