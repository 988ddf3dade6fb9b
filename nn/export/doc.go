// Package export writes a model spec (nn/spec) as code a reader can take
// away: Keras 3 (the seed's style: a Sequential model, compile, fit with
// the page's recipe), a self-contained PyTorch script that loads the
// page's safetensors weights, evaluates and goes on training (also data-
// parallel under torchrun), and a TensorFlow.js Layers program, the
// nearest runnable check of the Keras text that this machine has.
//
// Layers are named as the page names them (dense_1, conv2d_1, …: Keras 2's
// defaults), so a weights file's tensors find their layers by name in all
// three.
package export

// Recipe is the training run the code reproduces: the page's settings.
type Recipe struct {
	Epochs, Batch int
	LR            float64
	// Noise is the level of the noise on the training input (0: clean):
	// σ of Gaussian noise, or the probability p of a pixel's masking for
	// NoiseKind spec.MaskNoise.
	Noise     float64
	NoiseKind string
}
