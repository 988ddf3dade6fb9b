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
// the code layer; loss(bce|mse) and noise(σ) close it. The layers:
//
//	dense(UNITS,ACTIVATION)
//	conv2d(FILTERS,KERNEL,ACTIVATION,PADDING[,strides=S])
//	maxpooling2d(POOL,PADDING)
//	upsampling2d(SIZE)
//	flatten
//	reshape(HxWxC)
//
// ACTIVATION is linear, relu or sigmoid and PADDING same or valid, always
// written: Keras' defaults (valid padding, linear activation) differ from
// what autoencoders use, and a reader should not need to know either. Any
// layer but the last may take l1=RATE and l2=RATE, an activity penalty on
// its output (Keras' activity_regularizer), as the sparse autoencoder's
// code: dense(32,relu,l1=0.0001); flatten(l1=0.001).
package spec
