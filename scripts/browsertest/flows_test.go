package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestExploringFirstLeavesTrainFree: drawing the map before any run (which
// downloads the test set) leaves the page idle with Train enabled, and a
// run then trains; the status line says what is on show once a model has
// loaded, never a loading message that is over.
func TestExploringFirstLeavesTrainFree(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=deep&epochs=1&samples=512&val=256")
	if s := p.text("status"); strings.Contains(s, "Loading") || !strings.Contains(s, "deep") {
		t.Errorf("idle, the status says %q", s)
	}
	p.click("map-draw")
	p.waitFor("the map", `document.body.dataset.mapPoints === "10000"`, 30*time.Second)
	if st := eval[string](p, `document.body.dataset.state`); st != "idle" {
		t.Errorf("after drawing the map the page is %q, want idle", st)
	}
	if eval[bool](p, `document.getElementById("train").disabled`) || !strings.Contains(p.text("train"), "Train") {
		t.Errorf("Train is %q and disabled %v after drawing the map", p.text("train"), eval[bool](p, `document.getElementById("train").disabled`))
	}
	p.click("train")
	p.waitFor("the run to finish", `document.getElementById("log").textContent.includes("Epoch 1/1") && document.body.dataset.state === "idle"`, 60*time.Second)

	p.click("tab-conv")
	p.waitFor("the conv model", `document.body.dataset.state === "idle" && document.getElementById("summary").textContent.includes("conv2d_7")`, 30*time.Second)
	if s := p.text("status"); strings.Contains(s, "Loading") || !strings.Contains(s, "conv") {
		t.Errorf("after a tab switch, the status says %q", s)
	}
	p.noConsoleErrors()
}

// TestIconsNeedNoFont: the buttons' icons are drawn by CSS, not glyphs a
// font must have (U+2190 to U+2BFF: arrows, media symbols, shapes), in
// every state of the Train button.
func TestIconsNeedNoFont(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=simple&epochs=20&samples=20000&val=0&batch=32")
	glyphs := `[...document.querySelectorAll("button, label.button")].map(b => b.textContent).join("").match(/[\u2190-\u2bff]/g) || []`
	check := func(when string) {
		if g := eval[[]string](p, glyphs); len(g) > 0 {
			t.Errorf("%s, buttons show font glyphs %q", when, g)
		}
	}
	check("idle")
	p.click("train")
	p.waitFor("training", `document.body.dataset.state === "training"`, 30*time.Second)
	check("training")
	if !eval[bool](p, `!!document.querySelector("#train .icon.pause")`) {
		t.Error("no pause icon while training")
	}
	p.click("stop")
	p.waitFor("idle", `document.body.dataset.state === "idle"`, 30*time.Second)
}

// TestEmbedExplainsItself: an embed shows its one-line status and the
// chart's legend; show= offers the controls a blogger names (and only
// those, with Train and Reset), still within 640×420; after a run worse
// than the pretrained model the status compares the two and says how to
// get the pretrained one back.
func TestEmbedExplainsItself(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, ts.URL+"/#model=conv&embed=1&show=epochs,noise&epochs=1&samples=512&val=256", 640, 420, 1)
	p.waitIdle()
	shown := func(id string) bool {
		return eval[bool](p, `document.getElementById("`+id+`").offsetParent !== null`)
	}
	for id, want := range map[string]bool{"status": true, "epochs": true, "noise": true, "train": true, "reset": true, "step": false, "lr": false, "seed": false} {
		if got := shown(id); got != want {
			t.Errorf("embed with show=epochs,noise: #%s shown %v, want %v", id, got, want)
		}
	}
	if !eval[bool](p, `document.querySelector(".chart-key").offsetParent !== null`) {
		t.Error("the embed's chart has no legend")
	}
	p.screenshot("04-embed-shown-controls")
	if !eval[bool](p, `document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight`) {
		t.Errorf("the embed with two more controls does not fit 640×420: %s", eval[string](p, `document.documentElement.scrollWidth + "×" + document.documentElement.scrollHeight`))
	}
	p.click("train")
	p.waitFor("the run", `document.body.dataset.state === "idle" && document.getElementById("status").textContent.startsWith("Done")`, 60*time.Second)
	if s := p.text("status"); !strings.Contains(s, "the pretrained model") || !strings.Contains(s, "Reset brings it back") || strings.Index(s, "Reset") > 80 {
		t.Errorf("after a short run the embed says %q", s)
	}
	p.screenshot("04-embed-after-run")
	p.noConsoleErrors()
}

// TestThemeFollowsTheHost: theme= overrides the reader's system setting,
// so an embed in a white blog stays light on a dark-mode system, and
// theme=dark makes it dark on a light one.
func TestThemeFollowsTheHost(t *testing.T) {
	ts := serve(t, nil)
	bg := `getComputedStyle(document.body).backgroundColor`
	for _, c := range []struct{ system, theme, want string }{
		{"dark", "light", "rgb(251, 251, 250)"},
		{"light", "dark", "rgb(18, 19, 22)"},
		{"dark", "auto", "rgb(18, 19, 22)"},
	} {
		p := open(t, ts.URL+"/#model=simple&embed=1&theme="+c.theme, 640, 420, 1)
		if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: c.system}}}); err != nil {
			t.Fatal(err)
		}
		p.waitIdle()
		if got := eval[string](p, bg); got != c.want {
			t.Errorf("system %s, theme=%s: background %s, want %s", c.system, c.theme, got, c.want)
		}
	}
}

// TestStatusBesideTrain: at 1280×900 the status line sits under the Train
// button, inside the first screen, and says what the page is doing in each
// state: paused, done with the pretrained model's loss beside the run's.
func TestStatusBesideTrain(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=simple&epochs=2&samples=20000&val=500&batch=32")
	place := func(when string) {
		r := eval[[]float64](p, `(() => { const s = document.getElementById("status").getBoundingClientRect(), b = document.getElementById("train").getBoundingClientRect(); return [s.top, s.bottom, b.bottom] })()`)
		if r[1] > 900 || r[0] < r[2] || r[0]-r[2] > 40 {
			t.Errorf("%s: the status spans %.0f–%.0f px, Train ends at %.0f px: want it just under Train and above 900", when, r[0], r[1], r[2])
		}
	}
	place("idle")
	p.click("train")
	p.waitFor("training", `document.body.dataset.state === "training"`, 30*time.Second)
	p.click("train")
	p.waitFor("paused", `document.body.dataset.state === "paused"`, 30*time.Second)
	if s := p.text("status"); !strings.HasPrefix(s, "Paused") {
		t.Errorf("paused, the status says %q", s)
	}
	place("paused")
	p.click("train")
	p.waitFor("the end of the run", `document.body.dataset.state === "idle"`, 120*time.Second)
	if s := p.text("status"); !strings.HasPrefix(s, "Done: val loss") || !strings.Contains(s, "the pretrained model's") {
		t.Errorf("after the run, the status says %q", s)
	}
	place("done")
}

// TestInterpolatePastTheSample: on a fresh page only the first 100 test
// digits have arrived; asking for digit #7000 fetches the rest rather than
// saying there are 100.
func TestInterpolatePastTheSample(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=simple")
	p.click("xtab-interp")
	p.waitFor("the first interpolation", `document.body.dataset.interpolated === "8"`, 30*time.Second)
	eval[bool](p, `(() => { document.body.dataset.interpolated = ""; document.getElementById("interp-b").value = "7000"; return true })()`)
	p.click("interp-go")
	p.waitFor("the interpolation to #7000", `document.body.dataset.interpolated === "8" || /no test digit|there are/.test(document.getElementById("interp-hint").textContent)`, 60*time.Second)
	if h := p.text("interp-hint"); !strings.Contains(h, "#7000") || strings.Contains(h, "there are") {
		t.Errorf("interpolating to test digit #7000, the hint says %q", h)
	}
	eval[bool](p, `(() => { document.getElementById("interp-b").value = "10000"; return true })()`)
	p.click("interp-go")
	p.waitFor("the refusal", `document.getElementById("interp-hint").textContent.includes("#10000")`, 30*time.Second)
	if h := p.text("interp-hint"); !strings.Contains(h, "#0 to #9999") {
		t.Errorf("interpolating to test digit #10000, the hint says %q", h)
	}
	p.noConsoleErrors()
}

// TestCodeLegendFollowsTheModel: the code legend belongs to a grid with a
// code row; from conv to denoise (no code row) it goes, and back it comes.
func TestCodeLegendFollowsTheModel(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=conv")
	legend := `document.getElementById("code-legend").offsetParent !== null`
	if !eval[bool](p, legend) {
		t.Error("conv: no code legend")
	}
	p.click("tab-denoise")
	p.waitFor("the denoiser", `document.body.dataset.state === "idle" && document.querySelectorAll("#grid canvas").length === 3 && document.querySelector("#grid .row-label").textContent.startsWith("noisy input")`, 30*time.Second)
	if eval[bool](p, legend) {
		t.Errorf("denoise keeps a code legend: %q", p.text("code-legend"))
	}
	p.click("tab-conv")
	p.waitFor("conv's codes", `document.body.dataset.state === "idle" && `+legend, 30*time.Second)
}

// TestTapShowsWhatHoverShows: on a touch screen, where nothing hovers, a
// tap on a map point shows its digit and reconstruction, and the hint says
// tap, not hover.
func TestTapShowsWhatHoverShows(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, "about:blank", 390, 844, 3)
	if _, err := chromedp.Call(p.ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5}); err != nil {
		t.Fatal(err)
	}
	p.visit(ts.URL + "/#model=deep")
	p.waitIdle()
	if h := p.text("map-hint"); !strings.Contains(h, "Tap a point") {
		t.Errorf("on a touch screen the map's hint says %q", h)
	}
	if err := chromedp.Do(p.ctx, chromedp.ScrollIntoView(chromedp.ID("map-draw"))); err != nil {
		t.Fatal(err)
	}
	p.click("map-draw")
	p.waitFor("the map", `document.body.dataset.mapPoints === "10000"`, 30*time.Second)
	pt := p.mapPoint()
	touch := []*input.TouchPoint{{X: pt[0], Y: pt[1]}}
	for _, ev := range []input.DispatchTouchEventParams{{Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: touch}, {Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}}} {
		if _, err := chromedp.Call(p.ctx, input.DispatchTouchEvent, ev); err != nil {
			t.Fatal(err)
		}
	}
	p.waitFor("the tapped digit", `document.body.dataset.peeked !== undefined`, 10*time.Second)
	if p.inked("peek-orig") < 20 || p.inked("peek-recon") < 20 {
		t.Errorf("a tap drew a blank digit: %d and %d inked pixels", p.inked("peek-orig"), p.inked("peek-recon"))
	}
	p.noConsoleErrors()
}

// TestFeedbackBesideTheAction: the Interpolate panel opens on an
// interpolation of real digits, named in its hint; two digits clicked on
// the map are interpolated in view, where the reader looks, not announced
// in the status line.
func TestFeedbackBesideTheAction(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=deep")
	p.click("xtab-interp")
	p.waitFor("the first interpolation", `document.body.dataset.interpolated === "8"`, 30*time.Second)
	if h := p.text("interp-hint"); !strings.Contains(h, "#0 (a 7) and #1 (a 2)") {
		t.Errorf("the Interpolate panel's hint: %q", h)
	}
	if p.inked("interp") < 8*30 {
		t.Error("the Interpolate panel opens on a blank strip")
	}
	status := p.text("status")

	p.click("xtab-map")
	p.click("map-draw")
	p.waitFor("the map", `document.body.dataset.mapPoints === "10000"`, 30*time.Second)
	eval[bool](p, `(() => { document.body.dataset.interpolated = ""; document.getElementById("map").scrollIntoView({block: "center"}); return true })()`)
	// Two drawn points far apart: coloured pixels nearest two opposite corners.
	pts := eval[[]float64](p, `(() => { const c = document.getElementById("map"), r = c.getBoundingClientRect(), s = c.width / r.width;
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, out = [];
		for (const [cx, cy] of [[0.3, 0.3], [0.7, 0.7]]) {
			let best = null, bd = Infinity;
			for (let y = 0; y < c.height; y += 2) for (let x = 0; x < c.width; x += 2) {
				const i = (y * c.width + x) * 4;
				if (d[i + 3] < 200 || Math.abs(d[i] - d[i + 1]) + Math.abs(d[i + 1] - d[i + 2]) < 60) continue;
				const dd = (x - cx * c.width) ** 2 + (y - cy * c.height) ** 2;
				if (dd < bd) { bd = dd; best = [r.left + x / s, r.top + y / s]; }
			}
			out.push(...best);
		}
		return out })()`)
	for i := 0; i < 2; i++ {
		p.mouse(pressed, pts[2*i], pts[2*i+1], 1)
		p.mouse(released, pts[2*i], pts[2*i+1], 0)
	}
	p.waitFor("the interpolation between the clicked digits", `document.body.dataset.interpolated === "8"`, 20*time.Second)
	inView := eval[bool](p, `(() => { const p = document.getElementById("panel-interp"), r = document.getElementById("interp").getBoundingClientRect(); return !p.hidden && r.top >= 0 && r.bottom <= innerHeight })()`)
	if !inView {
		t.Error("after two clicks on the map the interpolation is not in view")
	}
	if s := p.text("status"); s != status {
		t.Errorf("the status line changed to %q for an explore view's result", s)
	}
	p.noConsoleErrors()
}
