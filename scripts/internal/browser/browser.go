package browser

import (
	"context"
	"fmt"
	"os"

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
