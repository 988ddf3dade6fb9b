package browsertest

import (
	"strings"
	"testing"
	"time"
)

// TestDenoiseRows: the denoise tab shows noisy input, the clean-trained conv
// model's output and the denoising model's output; the noise slider changes
// the noisy row without retraining; masking noise (the kind beside the
// noise field) drops pixels of the digits, and the rows say which noise
// they show.
func TestDenoiseRows(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, ts.URL+"/#model=denoise", 1280, 900, 2)
	p.waitFor("the grid", `document.body.dataset.state === "idle" && document.querySelectorAll("#grid canvas").length === 3`, 30*time.Second)
	p.screenshot("09-denoise")
	labels := eval[string](p, `[...document.querySelectorAll("#grid .row-label")].map(e => e.textContent.replace(/\u00a0/g, " ")).join(" | ")`)
	if labels != "noisy input (σ 0.5) | conv AE (clean-trained) | denoising AE" {
		t.Errorf("row labels %q", labels)
	}
	background := func(r rowPixels) float64 { // mean grey of the corner pixels, where MNIST is black
		s, n := 0.0, 0
		for _, c := range r.Cells {
			for _, i := range []int{0, 1, 28, 29, 26, 27, 754, 755, 782, 783} {
				s += c[i]
				n++
			}
		}
		return s / float64(n)
	}
	noisy, conv, den := p.row(0), p.row(1), p.row(2)
	if b := background(noisy); b < 0.15 {
		t.Errorf("the noisy row's background is %.2f grey: no noise drawn", b)
	}
	if b := background(den); b > 0.08 {
		t.Errorf("the denoised row's background is %.2f grey: not denoised", b)
	}
	if b := background(conv); b < background(den) {
		t.Errorf("the conv model cleans better (%.2f) than the denoiser (%.2f)", b, background(den))
	}
	// The slider: σ 0 gives a clean noisy row.
	eval[bool](p, `(() => { const s = document.getElementById("noise-slider"); s.value = "0"; s.dispatchEvent(new Event("input")); return true })()`)
	p.waitFor("the grid at σ 0", `document.getElementById("noise-out").textContent === "0"`, 5*time.Second)
	time.Sleep(500 * time.Millisecond)
	p.waitFor("a clean noisy row", `(() => { const c = document.querySelector('#grid canvas[data-row="0"]'); const [x, y] = c.dataset.geometry.split(" ").map(Number); const d = c.getContext("2d").getImageData(x, y, 4, 4).data; return d[0] === 0 && d[4] === 0 })()`, 10*time.Second)
	p.screenshot("10-denoise-sigma0")
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "noise=0&") {
		t.Errorf("hash after moving the slider: %q", h)
	}
	// The slider and the settings' noise field are one setting, and say so.
	if v := eval[string](p, `document.getElementById("noise").value`); v != "0" {
		t.Errorf("the slider is at 0, the noise field at %q", v)
	}
	if s := p.text("noise-slider-wrap"); !strings.Contains(s, "also the training noise") {
		t.Errorf("the slider does not say it is the training noise too: %q", s)
	}
	ink := func(r rowPixels) float64 {
		s := 0.0
		for _, c := range r.Cells {
			for _, v := range c {
				s += v
			}
		}
		return s
	}
	clean := ink(p.row(0))
	// Masking noise at p 0.5: the row loses about half its ink and gains
	// none (the corners stay black); the label and the address say so.
	eval[bool](p, `(() => { const k = document.getElementById("noise-kind"); k.value = "mask"; k.dispatchEvent(new Event("change")); const s = document.getElementById("noise-slider"); s.value = "0.5"; s.dispatchEvent(new Event("input")); return true })()`)
	p.waitFor("masked rows", `document.querySelector("#grid .row-label").textContent === "masked input (p\u00a00.5)"`, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	masked := p.row(0)
	if b, frac := background(masked), ink(masked)/clean; b > 0.01 || frac < 0.35 || frac > 0.65 {
		t.Errorf("masking p 0.5: background %.3f, %.2f of the ink kept", b, frac)
	}
	if n := p.text("noise-slider-wrap"); !strings.Contains(n, "masking p") {
		t.Errorf("the slider's name under masking: %q", n)
	}
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "noise=0.5&") || !strings.Contains(h, "noisekind=mask") {
		t.Errorf("hash with masking noise: %q", h)
	}
	p.screenshot("10b-denoise-masking")
	// The editor's noise kind is the spec's: the edited model trains on
	// masking noise by default and its address says noise(mask,…).
	eval[bool](p, `(() => { location.hash = "model=denoise"; return true })()`)
	p.waitFor("Gaussian again", `document.querySelector("#grid .row-label").textContent.startsWith("noisy input")`, 10*time.Second)
	p.click("edit-model")
	eval[bool](p, `(() => { const k = document.getElementById("editor-noise-kind"); k.value = "mask"; k.dispatchEvent(new Event("change")); return true })()`)
	p.waitFor("the edited model's masked rows", `decodeURIComponent(location.hash).includes("noise(mask,0.5)") && document.querySelector("#grid .row-label").textContent.startsWith("masked input") && document.getElementById("noise-kind").value === "mask"`, 30*time.Second)
	p.noConsoleErrors()
}
