// Package protocol defines the messages between the page and its training
// workers. Both sides are Go; the messages cross postMessage as plain
// JavaScript objects whose fields are numbers, strings, booleans and typed
// arrays, so they are structured-cloned cheaply and float data can be
// transferred rather than copied.
//
// The types here are plain Go: each message converts to and from a Fields
// map through the Object interface, which the js/wasm glue implements over
// syscall/js and the tests implement over a Go map. So the protocol is
// tested natively, and again under GOOS=js through the real glue.
//
// Page → worker: Init, SetModel, Grid, Train, Pause, Resume, Step, Stop,
// Reset. Worker → page: Ready, Grid results, Download, Progress, Epoch,
// Done, Error.
package protocol
