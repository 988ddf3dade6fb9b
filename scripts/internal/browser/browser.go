package browser

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/chromedp/chromedp"
)

// Path is where Debian's chromium package puts the browser.
const Path = "/usr/bin/chromium"

// Check reports a missing browser in words.
func Check() error {
	if _, err := os.Stat(Path); err != nil {
		return fmt.Errorf("no Chromium at %s: `make test` and `make bench` install Debian's chromium package", Path)
	}
	return nil
}

// New starts a browser with a w×h window and a fresh profile in dir, and
// returns its context and the function that stops it.
func New(dir string, w, h int) (context.Context, context.CancelFunc) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(w, h),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	return ctx, func() { cancel(); acancel() }
}

// Shared is one Chromium for many tabs, each in a browser context of its
// own (storage, caches and service workers apart, as a fresh profile
// has them): the browser tests open dozens of pages, and a new
// context costs far less than a launch (the README's Testing section has
// the package's time both ways). It starts on the first Tab.
type Shared struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	dir    string
	err    error
}

// Tab opens a tab in a new browser context of the shared browser, with a
// window of w×h, and returns its context and the function that closes it
// (and discards its context's storage).
func (s *Shared) Tab(w, h int) (context.Context, context.CancelFunc, error) {
	s.once.Do(func() {
		if s.dir, s.err = os.MkdirTemp("", "aeplay-chromium-"); s.err != nil {
			return
		}
		s.ctx, s.cancel = New(s.dir, w, h)
		s.err = chromedp.Do(s.ctx) // the browser itself, with no page of ours
	})
	if s.err != nil {
		return nil, nil, fmt.Errorf("starting Chromium: %w", s.err)
	}
	ctx, cancel := chromedp.NewContext(s.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("opening a tab: %w", err)
	}
	return ctx, cancel, nil
}

// Close stops the shared browser, if it started.
func (s *Shared) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}
