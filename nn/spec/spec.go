package spec

import (
	"fmt"
	"slices"
)

// Spec is one autoencoder: what Build needs to make its nn model and what a
// trainer needs to train it.
type Spec struct {
	// Input is the shape of one sample: 784 values, flat ([784]) or as an
	// image ([28 28 1]).
	Input []int
	// Layers are applied in order; the last one's output is compared with
	// the input.
	Layers []Layer
	// Code is the index in Layers of the layer whose output is the code.
	Code int
	// Loss is "bce" (binary cross-entropy, Keras' binary_crossentropy) or
	// "mse".
	Loss string
	// Sum: the loss is summed over a digit's 784 values and averaged over
	// the batch (the variational autoencoder's 784·BCE + KL), not
	// averaged over every value as Keras' losses are.
	Sum bool
	// Noise is σ of the Gaussian noise added to the training input (the
	// targets stay clean), the denoising experiment; 0 for clean input. It
	// is the default: a run may use another σ.
	Noise float64
	// NoiseKind is "" for Gaussian noise or "mask": each pixel set to 0
	// with probability Noise (ConvNetJS's denoiser).
	NoiseKind string
}

// The layer kinds, named as the text form names them: Keras' class names
// in lower case.
const (
	Dense        = "dense"
	Conv2D       = "conv2d"
	MaxPooling2D = "maxpooling2d"
	UpSampling2D = "upsampling2d"
	Flatten      = "flatten"
	Reshape      = "reshape"
	// Sampling is a variational autoencoder's code (nn.SamplingLayer): two
	// Dense heads, μ and log σ², and z drawn from N(μ, σ²); its KL term
	// is part of the loss.
	Sampling = "sampling"
)

// Kinds lists every layer kind, in the order an editor offers them.
var Kinds = []string{Dense, Conv2D, MaxPooling2D, UpSampling2D, Flatten, Reshape, Sampling}

// KerasClass is each kind's Keras class name.
var KerasClass = map[string]string{Dense: "Dense", Conv2D: "Conv2D", MaxPooling2D: "MaxPooling2D",
	UpSampling2D: "UpSampling2D", Flatten: "Flatten", Reshape: "Reshape", Sampling: "Sampling"}

// Activations and Paddings are the values those arguments take.
var (
	Activations = []string{"linear", "relu", "sigmoid"}
	Paddings    = []string{"same", "valid"}
	Losses      = []string{"bce", "mse"}
)

// Layer is one layer and its arguments; only those of its kind are set.
type Layer struct {
	Kind string
	// Units: Dense; the code's size for Sampling.
	Units int
	// Filters, Kernel (square) and Strides: Conv2D.
	Filters, Kernel, Strides int
	// Size: the pool of MaxPooling2D (its stride too, as Keras' default),
	// the factor of UpSampling2D.
	Size int
	// Padding: Conv2D and MaxPooling2D, "same" or "valid".
	Padding string
	// Activation: Dense and Conv2D.
	Activation string
	// Target: Reshape's shape.
	Target []int
	// L1 and L2 are the rates of an activity penalty on the layer's output
	// (Keras' activity_regularizer=regularizers.l1(L1), l2, or l1_l2):
	// any layer but the last; 0 for none.
	L1, L2 float64
}

// Title is the layer as a summary table names it: its Keras class.
func (l Layer) Title() string {
	if c, ok := KerasClass[l.Kind]; ok {
		return c
	}
	return l.Kind
}

// Clone returns a copy that shares nothing with s, for an editor to change.
func (s Spec) Clone() Spec {
	c := s
	c.Input = slices.Clone(s.Input)
	c.Layers = make([]Layer, len(s.Layers))
	for i, l := range s.Layers {
		l.Target = slices.Clone(l.Target)
		c.Layers[i] = l
	}
	return c
}

// Error is a spec's problem, pinned to a layer where it has one.
type Error struct {
	// Layer is the 1-based number of the layer at fault, as a summary
	// table counts them; 0 when the fault is the spec's as a whole.
	Layer int
	// Kind is that layer's Keras class ("" for the spec's).
	Kind string
	Msg  string
}

func (e *Error) Error() string {
	if e.Layer == 0 {
		return e.Msg
	}
	return fmt.Sprintf("layer %d (%s): %s", e.Layer, e.Kind, e.Msg)
}
