// Package page is the playground's page: the model tabs, the story, the
// digit grid, the loss chart, the controls and the log, all in Go over
// package dom, talking to training workers (package worker) by messages.
// The files without a js build tag (settings, presets, formatting, chart
// geometry) are plain Go and tested natively.
package page
