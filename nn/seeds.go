package nn

import "fmt"

// SeedModels lists the four autoencoders of "Building Autoencoders in Keras",
// in the order the post introduces them.
var SeedModels = []string{"simple", "deep", "conv", "denoise"}

// Latent2D is the playground's own fifth model: a deep autoencoder whose
// code has two values, so that its codes can be drawn as a map directly
// (the explorer's alternative to a PCA of a larger code).
const Latent2D = "latent2d"

// Models lists every model the playground has weights for: the seed
// models, then latent2d.
var Models = append(append([]string(nil), SeedModels...), Latent2D)

// NewSeedModel builds one of the seed autoencoders by name, with fresh,
// uninitialised (zero) weights; call Init or load weights next.
//
//	simple   Dense(32, relu) -> Dense(784, sigmoid) on flat 784-pixel input
//	deep     Dense 128, 64, 32 -> 64, 128 (relu) -> Dense(784, sigmoid)
//	conv     Conv 16 -> Pool -> Conv 8 -> Pool -> Conv 8 /2 -> Flatten (the
//	         128-value code) -> Reshape 4x4x8 -> Conv 8 -> Up -> Conv 8 -> Up
//	         -> Conv 16 valid -> Up -> Conv 1 sigmoid, on 28x28x1 input
//	denoise  Conv 32 -> Pool -> Conv 32 -> Pool -> Conv 32 -> Up -> Conv 32
//	         -> Up -> Conv 1 sigmoid
//
// All convolutions are 3x3, 'same' and ReLU unless noted; pools are 2x2
// 'same'; upsampling is 2x nearest.
func NewSeedModel(name string) (*Model, error) {
	conv := func(f int) *Conv2DLayer { return Conv2D(f, 3, 1, Same, ReLU) }
	pool := func() *MaxPool2DLayer { return MaxPool2D(2, Same) }
	switch name {
	case "simple":
		return NewModel(name, Shape{784}, 0,
			Dense(32, ReLU),
			Dense(784, Sigmoid))
	case "deep":
		return NewModel(name, Shape{784}, 2,
			Dense(128, ReLU), Dense(64, ReLU), Dense(32, ReLU),
			Dense(64, ReLU), Dense(128, ReLU), Dense(784, Sigmoid))
	case "conv":
		return NewModel(name, Shape{28, 28, 1}, 5,
			conv(16), pool(), conv(8), pool(), Conv2D(8, 3, 2, Same, ReLU), Flatten(),
			Reshape(4, 4, 8), conv(8), UpSampling2D(2), conv(8), UpSampling2D(2),
			Conv2D(16, 3, 1, Valid, ReLU), UpSampling2D(2), Conv2D(1, 3, 1, Same, Sigmoid))
	case Latent2D:
		// A linear code layer: ReLU would fold the plane into a quadrant.
		return NewModel(name, Shape{784}, 2,
			Dense(512, ReLU), Dense(128, ReLU), Dense(2, Linear),
			Dense(128, ReLU), Dense(512, ReLU), Dense(784, Sigmoid))
	case "denoise":
		// The post's denoiser has no flat bottleneck; its code is the 7x7x32
		// feature map after the second pool.
		return NewModel(name, Shape{28, 28, 1}, 3,
			conv(32), pool(), conv(32), pool(),
			conv(32), UpSampling2D(2), conv(32), UpSampling2D(2), Conv2D(1, 3, 1, Same, Sigmoid))
	}
	return nil, fmt.Errorf("nn: unknown model %q (want simple, deep, conv, denoise or latent2d)", name)
}
