// Package spec describes an autoencoder as data: its input shape, an
// ordered list of Keras layers with their arguments, which layer is the
// code, the loss and the training input (clean, or with Gaussian noise of
// σ). A Spec is checked before anything is built (Plan), with errors that
// name the layer and the problem; checked specs build nn models (Build).
//
// The text form (Parse, String) is what the URL, the weights files'
// metadata and the kept models' keys carry, and what the command line
// takes. It reads like the Keras model it describes:
//
//	input(28x28x1);conv2d(16,3,relu,same);maxpooling2d(2,same);...;flatten*;...;loss(bce)
//
// Items are separated by semicolons (spaces and newlines around them are
// ignored); the first is the input, then the layers in order, each named
// by its Keras class in lower case with its arguments; a trailing * marks
// the code layer; loss(bce|mse) and noise(σ) (or noise(mask,p): each
// pixel 0 with probability p) close it (loss(bce,sum) sums
// the loss over each digit's 784 values, as the variational autoencoder's
// 784·BCE + KL). The layers:
//
//	dense(UNITS,ACTIVATION)
//	conv2d(FILTERS,KERNEL,ACTIVATION,PADDING[,strides=S])
//	maxpooling2d(POOL,PADDING)
//	upsampling2d(SIZE)
//	flatten
//	reshape(HxWxC)
//	sampling(CODE)
//
// sampling is a variational autoencoder's code: two Dense heads (μ and
// log σ², which Keras numbers with the Dense layers) and z = μ + σ·ε,
// ε ~ N(0, I); its KL divergence from N(0, I) joins the loss. It is the
// code, once per model: the post's VAE is
// input(784);dense(64,relu);sampling(2)*;dense(64,relu);dense(784,sigmoid);loss(bce,sum).
//
// ACTIVATION is linear, relu or sigmoid and PADDING same or valid, always
// written: Keras' defaults (valid padding, linear activation) differ from
// what autoencoders use, and a reader should not need to know either. Any
// layer but the last may take l1=RATE and l2=RATE, an activity penalty on
// its output (Keras' activity_regularizer), as the sparse autoencoder's
// code: dense(32,relu,l1=0.0001); flatten(l1=0.001).
package spec
