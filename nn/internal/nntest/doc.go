// Package nntest has the engine's test helpers: synthetic images that a
// tiny autoencoder can learn without MNIST, and random slices.
package nntest
