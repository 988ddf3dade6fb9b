// Package browsertest holds the playground's browser tests: real headless
// Chromium (Debian's chromium package), driven from Go with chromedp, against
// the site served the way `make serve` serves it. `make test` builds the
// site and installs Chromium first. Screenshots of each state are written to
// test-artifacts/ at the repository's root.
package browsertest
