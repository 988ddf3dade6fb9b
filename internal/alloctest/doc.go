// Package alloctest measures the bytes a call allocates, for the tests that
// hold every decoder of outside input to a bound proportional to its input
// (a hostile header must not make a decoder allocate what it promises).
package alloctest
