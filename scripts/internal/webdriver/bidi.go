package webdriver

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// firefox is a headless Firefox driven over WebDriver BiDi.
type firefox struct {
	cmd     *exec.Cmd
	conn    *websocket.Conn
	context string // the browsing context (tab) under test

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan bidiReply
	errors  []string
}

type bidiReply struct {
	Type    string          `json:"type"`
	ID      int             `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

// FirefoxPath is Debian's Firefox ESR.
const FirefoxPath = "/usr/bin/firefox-esr"

// prefs keep a test profile quiet: no first-run pages, no updates, no
// telemetry, nothing fetched from the internet.
const prefs = `user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("app.update.disabledForTesting", true);
user_pref("remote.prefs.recommended", true);
user_pref("browser.download.folderList", 2);
user_pref("browser.download.useDownloadDir", true);
`

var listening = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

// Firefox starts a headless Firefox with a fresh profile in dir.
func Firefox(dir string, o Options) (Browser, error) {
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(profile, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(prefs), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(FirefoxPath, "--headless", "--no-remote", "--profile", profile, "--remote-debugging-port=0", "about:blank")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", FirefoxPath, err)
	}
	found := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			if m := listening.FindStringSubmatch(s.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	var url string
	select {
	case url = <-found:
	case <-time.After(30 * time.Second):
		kill(cmd)
		return nil, errors.New("firefox did not start its WebDriver BiDi server within 30 s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, url+"/session", nil)
	if err != nil {
		kill(cmd)
		return nil, fmt.Errorf("connecting to firefox at %s: %w", url, err)
	}
	conn.SetReadLimit(64 << 20) // screenshots
	f := &firefox{cmd: cmd, conn: conn, waiting: map[int]chan bidiReply{}}
	go f.read()
	if _, err := f.call("session.new", map[string]any{"capabilities": map[string]any{}}); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.call("session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}); err != nil {
		f.Close()
		return nil, err
	}
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
		} `json:"contexts"`
	}
	if err := f.result("browsingContext.getTree", map[string]any{}, &tree); err != nil || len(tree.Contexts) == 0 {
		f.Close()
		return nil, fmt.Errorf("firefox has no tab: %v", err)
	}
	f.context = tree.Contexts[0].Context
	if _, err := f.call("browsingContext.setViewport", map[string]any{"context": f.context,
		"viewport": map[string]int{"width": o.Width, "height": o.Height}, "devicePixelRatio": o.DPR}); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func (f *firefox) Name() string { return "firefox" }

// read takes every message: replies go to their callers, console errors
// are collected.
func (f *firefox) read() {
	for {
		_, b, err := f.conn.Read(context.Background())
		if err != nil {
			f.mu.Lock()
			for id, ch := range f.waiting {
				ch <- bidiReply{Type: "error", Error: "connection closed", Message: err.Error()}
				delete(f.waiting, id)
			}
			f.mu.Unlock()
			return
		}
		var r bidiReply
		if json.Unmarshal(b, &r) != nil {
			continue
		}
		if r.Type == "event" {
			if r.Method == "log.entryAdded" {
				var e struct {
					Level string `json:"level"`
					Text  string `json:"text"`
				}
				if json.Unmarshal(r.Params, &e) == nil && e.Level == "error" {
					f.mu.Lock()
					f.errors = append(f.errors, e.Text)
					f.mu.Unlock()
				}
			}
			continue
		}
		f.mu.Lock()
		ch := f.waiting[r.ID]
		delete(f.waiting, r.ID)
		f.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
}

// call sends a command and waits for its reply.
func (f *firefox) call(method string, params any) (json.RawMessage, error) {
	f.mu.Lock()
	f.nextID++
	id := f.nextID
	ch := make(chan bidiReply, 1)
	f.waiting[id] = ch
	f.mu.Unlock()
	b, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	if err := f.conn.Write(ctx, websocket.MessageText, b); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.Type == "error" {
			return nil, fmt.Errorf("%s: %s: %s", method, r.Error, r.Message)
		}
		return r.Result, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: no reply in 120 s", method)
	}
}

func (f *firefox) result(method string, params, out any) error {
	raw, err := f.call(method, params)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, out)
}

func (f *firefox) Navigate(url string) error {
	_, err := f.call("browsingContext.navigate", map[string]any{"context": f.context, "url": url, "wait": "complete"})
	return err
}

func (f *firefox) Eval(expr string, out any) error {
	var r struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value any    `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := f.result("script.evaluate", map[string]any{"expression": Wrap(expr), "target": map[string]string{"context": f.context},
		"awaitPromise": true, "resultOwnership": "none"}, &r)
	if err != nil {
		return err
	}
	if r.Type == "exception" {
		return fmt.Errorf("evaluating %s: %s", expr, r.ExceptionDetails.Text)
	}
	s, ok := r.Result.Value.(string)
	if !ok {
		return fmt.Errorf("evaluating %s: a %s, not JSON", expr, r.Result.Type)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal([]byte(s), out)
}

func (f *firefox) Screenshot() ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := f.result("browsingContext.captureScreenshot", map[string]any{"context": f.context}, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}

func (f *firefox) Errors() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{}, f.errors...)
}

func (f *firefox) Close() {
	if f.conn != nil {
		f.call("session.end", map[string]any{})
		f.conn.Close(websocket.StatusNormalClosure, "")
	}
	kill(f.cmd)
}
