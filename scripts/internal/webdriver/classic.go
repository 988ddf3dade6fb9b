package webdriver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// webkit is WebKitGTK's MiniBrowser driven by WebKitWebDriver over W3C
// WebDriver, in an Xvfb display of its own.
type webkit struct {
	xvfb, driver *exec.Cmd
	base         string // the session's URL
	client       *http.Client
}

// Debian's WebKitGTK driver and browser.
const (
	WebKitDriverPath = "/usr/bin/WebKitWebDriver"
	MiniBrowserPath  = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
	XvfbPath         = "/usr/bin/Xvfb"
)

// WebKit starts Xvfb, WebKitWebDriver and a MiniBrowser window of o's size.
func WebKit(dir string, o Options) (Browser, error) {
	w := &webkit{client: &http.Client{Timeout: 150 * time.Second}}
	display, err := w.startXvfb()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		w.Close()
		return nil, err
	}
	w.driver = exec.Command(WebKitDriverPath, "--port="+strconv.Itoa(port))
	w.driver.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+dir)
	if err := w.driver.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("starting %s: %w", WebKitDriverPath, err)
	}
	if err := waitPort(port, 20*time.Second); err != nil {
		w.Close()
		return nil, fmt.Errorf("WebKitWebDriver: %w", err)
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"webkitgtk:browserOptions": map[string]any{"binary": MiniBrowserPath, "args": []string{"--automation"}},
	}}}
	var sess struct {
		SessionID string `json:"sessionId"`
	}
	w.base = fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := w.do("POST", "/session", caps, &sess); err != nil {
		w.Close()
		return nil, fmt.Errorf("a WebKit session: %w", err)
	}
	w.base += "/session/" + sess.SessionID
	// The window's outer size: the viewport is what the tests measure, so
	// grow the window by what its frame takes.
	if err := w.do("POST", "/window/rect", map[string]int{"width": o.Width, "height": o.Height}, nil); err != nil {
		w.Close()
		return nil, err
	}
	var inner []int
	if err := w.Eval(`[innerWidth, innerHeight]`, &inner); err == nil && len(inner) == 2 {
		w.do("POST", "/window/rect", map[string]int{"width": 2*o.Width - inner[0], "height": 2*o.Height - inner[1]}, nil)
	}
	return w, nil
}

// startXvfb starts an X server on the first free display from :90. A
// display whose lock names a process that is gone (an Xvfb killed before
// it could clean up) is free: its lock and socket are removed.
func (w *webkit) startXvfb() (string, error) {
	for n := 90; n < 130; n++ {
		lock := fmt.Sprintf("/tmp/.X%d-lock", n)
		if b, err := os.ReadFile(lock); err == nil {
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
				continue
			}
			os.Remove(lock)
			os.Remove(fmt.Sprintf("/tmp/.X11-unix/X%d", n))
		}
		display := ":" + strconv.Itoa(n)
		cmd := exec.Command(XvfbPath, display, "-screen", "0", "1920x1200x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			return "", fmt.Errorf("starting Xvfb: %w", err)
		}
		// Xvfb makes its socket once it serves.
		for i := 0; i < 100; i++ {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				w.xvfb = cmd
				return display, nil
			}
			time.Sleep(50 * time.Millisecond)
		}
		stopXvfb(cmd)
	}
	return "", fmt.Errorf("no free X display for Xvfb")
}

func (w *webkit) Name() string { return "webkit" }

// do sends a WebDriver command; path is relative to the session once
// there is one.
func (w *webkit) do(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, w.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("%s %s: %s, %w", method, path, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		json.Unmarshal(r.Value, &e)
		return fmt.Errorf("%s %s: %s: %s", method, path, e.Error, e.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(r.Value, out)
}

func (w *webkit) Navigate(url string) error {
	return w.do("POST", "/url", map[string]string{"url": url}, nil)
}

func (w *webkit) Eval(expr string, out any) error {
	script := `const done = arguments[arguments.length - 1];
		` + Wrap(expr) + `.then(done, e => done(JSON.stringify({__error: String(e) + " " + (e && e.stack || "")})));`
	var s string
	if err := w.do("POST", "/execute/async", map[string]any{"script": script, "args": []any{}}, &s); err != nil {
		return fmt.Errorf("evaluating %s: %w", expr, err)
	}
	var e struct {
		Err *string `json:"__error"`
	}
	if json.Unmarshal([]byte(s), &e) == nil && e.Err != nil {
		return fmt.Errorf("evaluating %s: %s", expr, *e.Err)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal([]byte(s), out)
}

func (w *webkit) Screenshot() ([]byte, error) {
	var s string
	if err := w.do("GET", "/screenshot", nil, &s); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(s)
}

// Errors is nil: classic WebDriver cannot read the console.
func (w *webkit) Errors() []string { return nil }

func (w *webkit) Close() {
	if w.client != nil && w.base != "" {
		w.do("DELETE", "", nil, nil)
	}
	kill(w.driver)
	stopXvfb(w.xvfb)
}

// stopXvfb ends Xvfb with SIGTERM, on which it removes its lock and socket
// (killed, it leaves them, and each run would take one more display), and
// kills it if it has not gone within a second.
func stopXvfb(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		cmd.Process.Kill()
		<-done
	}
}
