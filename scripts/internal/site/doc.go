// Package site serves the playground's files: the handler behind
// `make serve` and the browser tests.
package site
