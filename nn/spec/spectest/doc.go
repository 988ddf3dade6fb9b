// Package spectest makes valid specs at random, for the property tests of
// the packages that read, write and edit specs.
package spectest
