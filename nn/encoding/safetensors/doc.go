// Package safetensors reads and writes safetensors files (the format of
// huggingface/safetensors), in which weights travel: an 8-byte
// little-endian header length, a JSON header mapping each tensor name to
// its dtype, shape and [begin, end) byte offsets into the data that follows,
// plus an optional "__metadata__" object of strings. It is read by
// PyTorch, TensorFlow/Keras (via the safetensors package) and JavaScript
// with a few lines, which is why weights travel in it.
//
// The codec is our own, small and strict, rather than a dependency: it is
// fed files from users' disks and the network, so every inconsistency is an
// error that says what is wrong, and it is fuzzed.
package safetensors
