package browsertest

import (
	"fmt"
	"regexp"
	"testing"
	"time"
)

var valLossRE = regexp.MustCompile(`val_loss: (\d+\.\d+)`)

// valLosses reads the val losses from the page's Keras-like log, the
// "before training" line first.
func (p *page) valLosses() []float64 { return p.valLossesIn("document") }

// TestQuickRunOfEachModel trains each model briefly in the worker, started
// from the URL (autostart), and checks the shown val loss falls and the
// trained model replaces the pretrained one on screen.
func TestQuickRunOfEachModel(t *testing.T) {
	runs := map[string]string{
		"simple":  "epochs=2&samples=2000&val=500&batch=128",
		"deep":    "epochs=2&samples=1000&val=300&batch=64",
		"conv":    "epochs=2&samples=300&val=100&batch=32&lr=0.003",
		"denoise": "epochs=2&samples=96&val=48&batch=16&lr=0.003",
	}
	ts := serve(t, nil)
	for _, model := range []string{"simple", "deep", "conv", "denoise"} {
		t.Run(model, func(t *testing.T) {
			p := open(t, fmt.Sprintf("%s/#model=%s&%s&autostart=1", ts.URL, model, runs[model]), 1280, 900, 1)
			p.waitFor("the run to start", `document.body.dataset.state === "training" || document.getElementById("log").textContent.includes("Epoch 1/")`, 60*time.Second)
			p.waitFor("the run to finish", `document.getElementById("log").textContent.includes("Epoch 2/2") && document.body.dataset.state === "idle"`, 120*time.Second)
			p.screenshot("02-trained-" + model)
			v := p.valLosses()
			if len(v) != 3 {
				t.Fatalf("log has %d val losses, want 3 (before, epoch 1, epoch 2):\n%s", len(v), p.text("log"))
			}
			if !(v[2] < v[0]) {
				t.Errorf("val loss did not fall: %v", v)
			}
			if src := p.text("source"); src[:12] != "Trained here" {
				t.Errorf("source line %q", src)
			}
			if errs := p.errors(); len(errs) > 0 {
				t.Errorf("console errors: %v", errs)
			}
		})
	}
}
