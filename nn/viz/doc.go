// Package viz turns images and codes into pixels: the digit grids and code
// images that both the native trainer (as PNG) and the browser page (as
// canvas ImageData) show. It depends on nothing but the standard library so
// the WebAssembly build stays small.
package viz
