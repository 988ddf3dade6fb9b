// Package worker is the training side of the page: it runs in a web worker,
// owns the network, the data and the training loop, and answers the page's
// messages (package protocol). Engine holds the logic in plain Go, tested
// natively; host_js.go connects it to postMessage and fetch.
package worker
