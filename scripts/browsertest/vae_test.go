package browsertest

import (
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestVAEModel: the variational autoencoder's tab is pretrained; its
// Generate panel decodes the 15×15 manifold, 225 distinct digits, and
// Sample draws new ones; a quick run logs each epoch's val_loss with its
// reconstruction and KL terms, which add up to it.
func TestVAEModel(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=vae")
	if !eval[bool](p, `!document.getElementById("xtab-generate").hidden`) {
		t.Fatal("no Generate tab for the variational autoencoder")
	}
	p.click("xtab-generate")
	p.waitFor("the manifold", `document.body.dataset.manifold === "225"`, 30*time.Second)
	// Every 28×28 tile of the canvas is another digit.
	distinct := eval[float64](p, `(() => { const c = document.getElementById("manifold"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		const seen = new Set();
		for (let r = 0; r < 15; r++) for (let q = 0; q < 15; q++) {
			let key = "";
			for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) key += String.fromCharCode(d[((r * 28 + y) * c.width + q * 28 + x) * 4]);
			seen.add(key);
		}
		return seen.size })()`)
	if distinct != 225 {
		t.Errorf("the manifold holds %v distinct digits of 225", distinct)
	}
	p.shot("28-manifold", "panel-generate")
	p.click("sample-go")
	p.waitFor("sampled digits", `document.body.dataset.sampled === "1"`, 20*time.Second)
	if err := p.selectValue("#manifold-spacing", "linear"); err != nil {
		t.Fatal(err)
	}
	p.waitFor("the linear manifold", `document.getElementById("generate-hint").textContent.includes("even steps")`, 20*time.Second)

	p.click("train")
	p.waitFor("the quick run", `document.getElementById("log").textContent.includes("Epoch 3/3") && document.body.dataset.state === "idle"`, 180*time.Second)
	line := regexp.MustCompile(`Epoch 3/3 .* - val_loss: ([0-9.]+) - reconstruction: ([0-9.]+) - KL: ([0-9.]+)`).FindStringSubmatch(p.text("log"))
	if line == nil {
		t.Fatalf("the log's last epoch lacks the loss's terms:\n%s", p.text("log"))
	}
	val, _ := strconv.ParseFloat(line[1], 64)
	recon, _ := strconv.ParseFloat(line[2], 64)
	kl, _ := strconv.ParseFloat(line[3], 64)
	t.Logf("quick run: val_loss %v = reconstruction %v + KL %v", val, recon, kl)
	if kl <= 0 || val < 100 || val > 250 || d(val, recon+kl) > 0.01 {
		t.Errorf("val_loss %v, reconstruction %v, KL %v: not a VAE's loss and its terms", val, recon, kl)
	}
	p.noConsoleErrors()
}

func d(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}
