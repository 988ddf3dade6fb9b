// Package idx reads and writes IDX files, the format of MNIST and
// Fashion-MNIST: a big-endian magic number whose third byte is the element
// type (0x08: unsigned byte) and fourth the number of dimensions, then each
// dimension as a big-endian uint32, then the data. Files may be
// gzip-compressed, as the originals are distributed. Images stay bytes in
// memory; training converts a batch to floats when it uses it.
package idx
