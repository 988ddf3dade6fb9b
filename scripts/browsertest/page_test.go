package browsertest

import (
	"math"
	"strings"
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
	p.noConsoleErrors()
}

// TestOfflineReload: after one visit the service worker has what the page
// needs, and with the server gone a reload still draws the grid.
func TestOfflineReload(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=conv")
	p.waitFor("the offline copy", `document.body.dataset.offline === "ready"`, 30*time.Second)
	ts.Close()
	p.visit("about:blank")
	p.visit(ts.URL + "/#model=conv")
	p.waitFor("the grid, offline", `document.body.dataset.state === "idle" && document.body.dataset.firstGridMs !== undefined`, 30*time.Second)
	if src := p.text("source"); !strings.HasPrefix(src, "Pretrained") {
		t.Errorf("offline, the page shows %q", src)
	}
	orig, recon := p.row(0), p.row(2)
	if len(orig.Cells) != 10 || len(recon.Cells) != 10 {
		t.Fatalf("offline grid: %d and %d digits", len(orig.Cells), len(recon.Cells))
	}
	p.screenshot("13-offline-reload")
	// What was never fetched says so in words.
	p.click("tab-deep")
	p.waitFor("the error", `!document.getElementById("alert").hidden`, 20*time.Second)
	msg := p.text("alert-msg")
	t.Logf("offline, choosing deep: %s", msg)
	if !strings.Contains(msg, "deep") || !strings.Contains(msg, "Offline") {
		t.Errorf("alert for an uncached model: %q", msg)
	}
}
