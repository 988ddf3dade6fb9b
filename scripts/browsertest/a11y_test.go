package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, pinned in scripts/browsertest/package.json and
// installed by make test (npm ci).
var axeSource = filepath.Join(root, "scripts/browsertest/node_modules/axe-core/axe.min.js")

// violation is one axe-core rule that failed, with the elements it
// failed on.
type violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axe runs axe-core on the page as it is now and fails the test for each
// violation, naming the view.
func (p *page) axe(view string) {
	p.t.Helper()
	if !eval[bool](p, `typeof axe === "object"`) {
		src, err := os.ReadFile(axeSource)
		if err != nil {
			p.t.Fatalf("axe-core is not installed (%v): make test installs it (npm ci in scripts/browsertest)", err)
		}
		// Evaluated through DevTools, so the page's Content-Security-Policy
		// (no inline or injected script) does not apply to it.
		eval[bool](p, string(src)+"\n;true")
	}
	vs := eval[[]violation](p, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)})))`)
	for _, v := range vs {
		p.t.Errorf("%s: axe %s (%s): %s, on %s", view, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
	}
}

// TestAccessibility: axe-core finds no violation on the full page, the
// embed and a phone-sized page in the light and the dark scheme (contrast
// is checked in both), and on each explore view with its result drawn and
// a paused run in the light one.
func TestAccessibility(t *testing.T) {
	ts := serve(t, nil)
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			setScheme := func(p *page) {
				if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
					t.Fatal(err)
				}
			}
			p := open(t, "about:blank", 1280, 900, 1)
			setScheme(p)
			p.visit(ts.URL + "/#model=deep")
			p.waitIdle()
			p.axe("page")

			// The explore views and a run share the page's palette: light
			// alone covers their markup (and keeps make test in its budget).
			if scheme == "light" {
				p.click("xtab-map")
				p.click("map-draw")
				p.waitFor("the map", `document.body.dataset.mapPoints !== undefined`, 30*time.Second)
				p.axe("latent map")
				p.click("xtab-interp")
				p.click("interp-go")
				p.waitFor("the interpolation", `document.body.dataset.interpolated === "8"`, 20*time.Second)
				p.axe("interpolate")
				p.click("xtab-draw")
				p.axe("draw")
				p.click("xtab-compare")
				p.click("compare-go")
				p.waitFor("the comparison", `document.body.dataset.compared !== undefined`, 60*time.Second)
				p.axe("compare")
				p.click("xtab-data")
				p.axe("your data")

				// Training: the progress, the log and the chart are on show.
				p.click("train")
				p.waitFor("a step", `document.body.dataset.state === "training"`, 10*time.Second)
				time.Sleep(time.Second)
				p.click("train")
				p.waitFor("the pause", `document.body.dataset.state === "paused"`, 10*time.Second)
				p.axe("paused run")
			}

			for _, v := range []struct {
				name, hash string
				w, h       int
			}{{"embed", "#model=conv&embed=1", 640, 420}, {"phone", "#model=conv", 390, 844}, {"embed on a phone", "#model=denoise&embed=1", 360, 420}} {
				q := open(t, "about:blank", v.w, v.h, 2)
				setScheme(q)
				q.visit(ts.URL + "/" + v.hash)
				q.waitIdle()
				q.axe(fmt.Sprintf("%s (%d×%d)", v.name, v.w, v.h))
			}
		})
	}
}
