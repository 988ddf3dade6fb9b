// Package workers says how many web workers the page runs when the reader
// has not chosen: the rule the page follows and the benchmark reports.
package workers
