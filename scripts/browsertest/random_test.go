package browsertest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// uiAction is one thing a reader does; it may do nothing in the page's
// current state (a disabled button), as a reader's click would.
type uiAction struct {
	name string
	do   func(p *page, r *rand.Rand)
}

// jsClick clicks an element as a reader does: a disabled button ignores it.
func jsClick(id string) func(p *page, r *rand.Rand) {
	return func(p *page, r *rand.Rand) {
		eval[bool](p, fmt.Sprintf(`(() => { const e = document.getElementById(%q); if (e) e.click(); return true })()`, id))
	}
}

// mouseOn sends a mouse event at (fx, fy), fractions of an element's box,
// scrolling it into view first.
func (p *page) mouseOn(id string, fx, fy float64, typ input.DispatchMouseEventType, buttons int64) {
	p.t.Helper()
	r := eval[[]float64](p, fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.scrollIntoView({block: "center"}); const b = e.getBoundingClientRect(); return [b.left, b.top, b.width, b.height] })()`, id))
	p.mouse(typ, r[0]+fx*r[2], r[1]+fy*r[3], buttons)
}

var uiActions = []uiAction{
	{"switch model", func(p *page, r *rand.Rand) {
		jsClick("tab-"+[]string{"simple", "deep", "conv", "denoise", "latent2d"}[r.IntN(5)])(p, r)
	}},
	{"train/pause/resume", jsClick("train")},
	{"train/pause/resume", jsClick("train")}, // twice: runs are what most sequences should reach
	{"step", jsClick("step")},
	{"stop", jsClick("stop")},
	{"reset", jsClick("reset")},
	{"new digits", jsClick("new-digits")},
	{"draw the map", func(p *page, r *rand.Rand) {
		jsClick("xtab-map")(p, r)
		jsClick("map-draw")(p, r)
	}},
	{"hover the map", func(p *page, r *rand.Rand) {
		jsClick("xtab-map")(p, r)
		for i := 0; i < 3; i++ {
			p.mouseOn("map-overlay", r.Float64(), r.Float64(), moved, 0)
		}
	}},
	{"click the map", func(p *page, r *rand.Rand) {
		jsClick("xtab-map")(p, r)
		x, y := r.Float64(), r.Float64()
		p.mouseOn("map-overlay", x, y, pressed, 1)
		p.mouseOn("map-overlay", x, y, released, 0)
	}},
	{"interpolate", func(p *page, r *rand.Rand) {
		jsClick("xtab-interp")(p, r)
		jsClick("interp-random")(p, r)
	}},
	{"compare", func(p *page, r *rand.Rand) {
		jsClick("xtab-compare")(p, r)
		jsClick("compare-go")(p, r)
	}},
	{"draw a digit", func(p *page, r *rand.Rand) {
		jsClick("xtab-draw")(p, r)
		x, y := 0.3+0.4*r.Float64(), 0.2+0.2*r.Float64()
		p.mouseOn("pad", x, y, pressed, 1)
		for i := 1; i <= 6; i++ {
			p.mouseOn("pad", x, y+0.08*float64(i), moved, 1)
		}
		p.mouseOn("pad", x, y+0.5, released, 0)
	}},
	{"save", jsClick("save")},
	{"load", func(p *page, r *rand.Rand) {
		file := filepath.Join(root, "web", "models", []string{"simple", "conv"}[r.IntN(2)]+".safetensors")
		if eval[bool](p, `document.getElementById("load").disabled`) {
			return
		}
		if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("load"), []string{file})); err != nil {
			p.t.Fatalf("choosing %s: %v", file, err)
		}
	}},
	{"change a setting", func(p *page, r *rand.Rand) {
		id, v := []string{"epochs", "batch", "seed", "preset"}[r.IntN(4)], ""
		switch id {
		case "epochs":
			v = strconv.Itoa(1 + r.IntN(2))
		case "batch":
			v = strconv.Itoa(64 << r.IntN(3))
		case "seed":
			v = strconv.Itoa(r.IntN(100))
		case "preset":
			v = "custom"
		}
		eval[bool](p, fmt.Sprintf(`(() => { const e = document.getElementById(%q); if (e.disabled) return false; e.value = %q; e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, id, v))
	}},
}

// TestRandomReaderNeverGetsStuck plays seeded sequences of 30 reader
// actions on a small run; after each, within 10 s, the page is idle (with
// Train enabled) or has a run under way (training, or paused by the
// reader), and its status says so; nothing goes to the console as an
// error. AEPLAY_UI_SEED=n replays one sequence; a failure prints its seed
// and the actions.
func TestRandomReaderNeverGetsStuck(t *testing.T) {
	seeds := []uint64{1, 2} // a third took 13 s of make test's 15 minutes; AEPLAY_UI_SEED plays others
	if s := os.Getenv("AEPLAY_UI_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("AEPLAY_UI_SEED=%q: %v", s, err)
		}
		seeds = []uint64{n}
	}
	ts := serve(t, nil)
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed-", seed), func(t *testing.T) {
			p := open(t, ts.URL+"/#model=simple&epochs=2&samples=1024&val=256&batch=128", 1280, 900, 1)
			p.waitIdle()
			r := rand.New(rand.NewPCG(seed, 14))
			var done []string
			defer func() {
				if t.Failed() {
					t.Logf("replay with AEPLAY_UI_SEED=%d go test -run TestRandomReaderNeverGetsStuck ./scripts/browsertest/\nactions: %s", seed, strings.Join(done, ", "))
				}
			}()
			for i := 0; i < 30; i++ {
				a := uiActions[r.IntN(len(uiActions))]
				done = append(done, a.name)
				a.do(p, r)
				time.Sleep(time.Duration(r.IntN(400)) * time.Millisecond)
			}
			p.waitFor("idle or a run", `["idle", "training", "paused"].includes(document.body.dataset.state)`, 10*time.Second)
			time.Sleep(200 * time.Millisecond) // let the phase settle, then read it once
			st := eval[[]string](p, `[document.body.dataset.state, document.getElementById("status").textContent, String(document.getElementById("train").disabled), document.getElementById("train").textContent.trim()]`)
			state, status, disabled, label := st[0], st[1], st[2] == "true", st[3]
			switch state {
			case "idle":
				if disabled || label != "Train" {
					t.Errorf("idle, but Train is %q (disabled %v)", label, disabled)
				}
				for _, busy := range []string{"Loading", "Training", "Paused", "Downloading"} {
					if strings.HasPrefix(status, busy) {
						t.Errorf("idle, but the status says %q", status)
					}
				}
			case "training":
				if !strings.HasPrefix(status, "Training") || label != "Pause" {
					t.Errorf("training, but the status says %q and Train reads %q", status, label)
				}
			case "paused":
				if !strings.HasPrefix(status, "Paused") || label != "Resume" {
					t.Errorf("paused, but the status says %q and Train reads %q", status, label)
				}
			}
			p.noConsoleErrors()
		})
	}
}
