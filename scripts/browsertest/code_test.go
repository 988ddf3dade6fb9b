package browsertest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"aeplay/scripts/internal/mnistdata"
)

// TestCodePanel: the code panel shows the model on show as Keras code with
// the settings' recipe and follows a change of settings and of model; Copy
// copies it; the PyTorch script it downloads, run with the pretrained
// weights, prints the val loss the page reports for them.
func TestCodePanel(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=conv&epochs=7&batch=64")
	p.click("code-panel")
	// The panel writes its code on the details element's toggle event,
	// which comes a task after the click.
	p.waitFor("the code", `document.getElementById("keras-code").textContent !== ""`, 5*time.Second)
	code := p.text("keras-code")
	for _, want := range []string{`layers.Conv2D(16, (3, 3), activation="relu", padding="same", name="conv2d_1")`, "epochs=7,", "batch_size=64,", "# the code: 128 values"} {
		if !strings.Contains(code, want) {
			t.Errorf("the Keras code lacks %q:\n%s", want, code)
		}
	}
	p.shot("31-code-panel", "code-panel")
	eval[bool](p, `(() => { const e = document.getElementById("epochs"); e.value = "3"; e.dispatchEvent(new Event("change")); return true })()`)
	if code := p.text("keras-code"); !strings.Contains(code, "epochs=3,") {
		t.Errorf("the code did not follow the epochs:\n%s", code)
	}
	p.click("tab-denoise")
	p.waitIdle()
	if code := p.text("keras-code"); !strings.Contains(code, "noise_factor = 0.5") || !strings.Contains(code, "conv2d(32,3,relu,same)") {
		t.Errorf("the code did not follow the model:\n%s", code)
	}
	p.click("tab-conv")
	p.waitIdle()

	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.Call(p.ctx, browser.SetPermission, browser.SetPermissionParams{Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted,
			BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID}); err != nil {
			t.Fatal(err)
		}
	}
	p.click("copy-code")
	p.waitFor("the copy", `document.getElementById("code-note").textContent !== ""`, 5*time.Second)
	if note := p.text("code-note"); note == "Copied." {
		if got := eval[string](p, `navigator.clipboard.readText()`); got != p.text("keras-code") {
			t.Errorf("the clipboard holds %.80q", got)
		}
	} else if !strings.Contains(note, "selected") {
		t.Errorf("after Copy: %q", note)
	}

	dir := p.downloads()
	p.click("download-pytorch")
	file := downloaded(t, dir, "conv.py", 5000)
	data, err := mnistdata.Dir()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", file, filepath.Join(root, "web/models/conv.safetensors"), "--data", data, "--val", "2000").CombinedOutput()
	if err != nil {
		t.Fatalf("the downloaded script: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "val_loss: 0.0") {
		t.Errorf("the downloaded script printed\n%s", out)
	}
	p.noConsoleErrors()
}
