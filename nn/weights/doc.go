// Package weights reads and writes a model's parameters as safetensors
// files, each tensor named and laid out as Keras names and lays it out
// (dense_1/kernel is [in, out], conv2d_1/kernel is [kh, kw, cin, cout],
// biases …/bias), so that Keras, TensorFlow.js and PyTorch can load them.
// A file's metadata records the model, its recipe and its history.
package weights
