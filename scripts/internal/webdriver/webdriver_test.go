package webdriver

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// TestEngines opens a page in each engine, evaluates an expression that
// awaits a promise, reads a console error where the protocol sees them, and
// takes a screenshot.
func TestEngines(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><title>t</title><p id=p>hello</p><script>console.error("on purpose")</script>`))
	}))
	defer ts.Close()
	for name, start := range map[string]func(string, Options) (Browser, error){"firefox": Firefox, "webkit": WebKit} {
		t.Run(name, func(t *testing.T) {
			b, err := start(t.TempDir(), Options{Width: 800, Height: 600, DPR: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if err := b.Navigate(ts.URL); err != nil {
				t.Fatal(err)
			}
			var got struct {
				Text string
				W, H int
				N    int
			}
			if err := b.Eval(`new Promise(r => setTimeout(() => r({Text: document.getElementById("p").textContent, W: innerWidth, H: innerHeight, N: 1 + 1}), 10))`, &got); err != nil {
				t.Fatal(err)
			}
			if got.Text != "hello" || got.N != 2 || got.W != 800 || got.H != 600 {
				t.Errorf("evaluated %+v", got)
			}
			if err := b.Eval(`nope.nope`, nil); err == nil {
				t.Error("an exception was not an error")
			}
			if errs := b.Errors(); errs != nil && (len(errs) != 1 || errs[0] != "on purpose") {
				t.Errorf("console errors %q", errs)
			}
			png, err := b.Screenshot()
			if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
				t.Errorf("screenshot: %d bytes, %v", len(png), err)
			}
		})
	}
}

// TestXvfbDisplays: a stopped Xvfb leaves no lock behind, and a lock left
// by a process that is gone does not keep its display taken.
func TestXvfbDisplays(t *testing.T) {
	if _, err := os.Stat(XvfbPath); err != nil {
		t.Skip("no Xvfb")
	}
	w := &webkit{}
	display, err := w.startXvfb()
	if err != nil {
		t.Fatal(err)
	}
	stopXvfb(w.xvfb)
	lock := "/tmp/.X" + display[1:] + "-lock"
	if _, err := os.Stat(lock); err == nil {
		t.Fatalf("Xvfb on %s left %s", display, lock)
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lock, []byte(strconv.Itoa(gone.Process.Pid)+"\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	again, err := w.startXvfb()
	if err != nil {
		t.Fatal(err)
	}
	defer stopXvfb(w.xvfb)
	n, _ := strconv.Atoi(again[1:])
	if d, _ := strconv.Atoi(display[1:]); n > d {
		t.Errorf("a stale lock on %s kept it taken: started on %s", display, again)
	}
}
