// Package nn is the core of a small, Keras-exact neural-network engine for
// the MNIST autoencoders of "Building Autoencoders in Keras": shapes,
// layers, Sequential models, the Runner that takes them forward and back,
// the losses, and the kernels all arithmetic goes through. Around it:
// nn/train (Adam, the Trainer and its shards, datasets), nn/catalog (the
// playground's models), nn/weights (models to and from safetensors files),
// nn/encoding/... (the IDX, safetensors and JSON codecs), nn/pca and
// nn/viz.
//
// Conventions:
//
//   - Everything is float32. Tensors are plain []float32 slices holding a
//     batch of samples one after another; each sample is laid out NHWC
//     (height, width, channels), exactly as Keras lays it out, so a batch of
//     n images of shape [28 28 1] is n*784 contiguous floats.
//   - A Shape describes one sample and never includes the batch dimension.
//   - Parameters keep Keras' layouts: a Dense kernel is [in, out], a Conv2D
//     kernel is [kh, kw, cin, cout], both row-major. The forward passes are
//     written so that these layouts are the matrices the GEMMs use, so weight
//     files are a straight copy of memory.
//   - Layers get Keras' default names, numbered per model from 1: dense_1,
//     conv2d_3, max_pooling2d_1, up_sampling2d_2, flatten_1, reshape_1.
//   - All arithmetic on whole tensors goes through one seam, the Kernel
//     interface: the GEMM, im2col, direct convolutions of one channel
//     in or out, pooling, upsampling, bias and
//     activation, the fused sigmoid and cross-entropy pass, Adam's update
//     and a few sums. The portable GoKernel, the AVX2 and AVX-512
//     kernels and the WebAssembly SIMD kernel each implement all of it, so
//     layers never ask which kernel they run on. NewKernel picks the
//     fastest the platform has (the build tag purego forces GoKernel) and
//     its Name says which.
//   - Layers hold only their parameters. Activations, gradients and scratch
//     memory live in a Runner, sized once for the largest batch, so the
//     training loop does not allocate after its first step and several
//     runners can share one model's weights. (A Runner may take a batch of
//     large images forward and back in chunks of samples, where the
//     kernel's Tuning asks for it.) NewModel builds copies of the
//     layers it is given, which stay templates.
//
// Numerics follow Keras: glorot-uniform kernels and zero biases, Adam's
// update with Keras' epsilon on the uncorrected second moment, binary
// cross-entropy averaged over every output element with probabilities clipped
// to [1e-7, 1-1e-7], TensorFlow's 'same' padding rule (the extra pixel goes to
// the bottom/right) and nearest-neighbour upsampling.
//
// The package has no syscall/js and no package-level mutable state: it builds
// and is tested both natively and under GOOS=js GOARCH=wasm.
package nn
