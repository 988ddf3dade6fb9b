package browsertest

import (
	"math"
	"testing"
	"time"
)

// TestPageLoadsWithPretrainedGrid: the page loads without console errors
// and draws the pretrained model's grid, whose reconstructions resemble the
// originals.
func TestPageLoadsWithPretrainedGrid(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, ts.URL+"/", 1280, 900, 2)
	p.waitFor("the first grid", `document.body.dataset.state === "idle"`, 30*time.Second)
	p.screenshot("01-pretrained-simple")
	orig, recon := p.row(0), p.row(2)
	if orig.W == 0 || len(orig.Cells) != 10 {
		t.Fatalf("original row %dx%d", orig.W, orig.H)
	}
	for k := range orig.Cells {
		ink, diff := 0.0, 0.0
		for i, v := range orig.Cells[k] {
			ink = math.Max(ink, v)
			diff += math.Abs(v - recon.Cells[k][i])
		}
		diff /= 784
		if ink < 0.9 {
			t.Errorf("digit %d: original row is blank (max grey %.2f)", k, ink)
		}
		if diff > 0.12 {
			t.Errorf("digit %d: reconstruction differs from the original by %.3f on average", k, diff)
		}
	}
	if src := p.text("source"); src == "" || src[:10] != "Pretrained" {
		t.Errorf("source line %q", src)
	}
	if errs := p.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
