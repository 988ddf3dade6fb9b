// Package browser starts headless Chromium for the browser tests and the
// benchmarks: Debian's chromium, no sandbox (they run as root), and none
// of the background traffic the closed network would refuse.
package browser
