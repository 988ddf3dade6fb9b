package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"aeplay/internal/numfmt"
	"aeplay/nn"
)

// The limits a spec must keep, so that a typo cannot freeze a tab. The
// catalogue's models are far inside them: the most parameters are the 2-D
// code model's 936,466, the most values per digit the denoiser's 79,968
// (TestCatalogueWithinLimits checks both).
const (
	MaxLayers = 48
	// MaxParams is the most weights a model may have.
	MaxParams = 4_000_000
	// MaxValues is the most values one sample may have in all the layers'
	// outputs together (kept for the backward pass).
	MaxValues = 1_000_000
	// MaxBatchBytes bounds the activations and their gradients of one
	// batch: the values times the batch, twice, in float32.
	MaxBatchBytes = 1 << 30
	// MaxWeightsBytes is the largest weights file of a model within the
	// limits: its float32 parameters and a generous header.
	MaxWeightsBytes = 4*MaxParams + 1<<20
	// The largest arguments; they keep shapes far from overflow too.
	maxUnits, maxFilters, maxKernel, maxStride, maxSize, maxDim, maxLatent = 16384, 1024, 15, 4, 8, 4096, 1024
	// maxRate bounds an activity penalty's rate: far above any that
	// trains (the post's is 1e-4).
	maxRate = 10
)

// DataSize is the number of values in a sample: a 28×28 MNIST digit.
const DataSize = 784

// LayerPlan is what a layer comes to: its Keras name, output shape, weights
// and multiply-adds per sample in the forward pass.
type LayerPlan struct {
	Name string
	// Heads are a Sampling layer's two Dense heads, as Keras names them:
	// the mean's, then the log variance's.
	Heads  []string
	Out    []int
	Params int
	MACs   int
}

// Plan is the checked spec's model in numbers: what a summary table shows.
type Plan struct {
	Layers []LayerPlan
	Params int
	// MACs is the forward pass's multiply-adds per sample; a training step
	// costs about three times as many (the forward pass and two products
	// of the backward).
	MACs int
	// CodeSize is the code layer's output size.
	CodeSize int
	// Values is every layer's output size summed, per sample.
	Values int
}

// kerasPrefix is the default name Keras numbers per kind.
var kerasPrefix = map[string]string{Dense: "dense", Conv2D: "conv2d", MaxPooling2D: "max_pooling2d",
	UpSampling2D: "up_sampling2d", Flatten: "flatten", Reshape: "reshape", Sampling: "sampling"}

// ShapeText writes a shape as the errors do: 28×28×1, or "784 values"
// for a flat one.
func ShapeText(s []int) string {
	if len(s) == 1 {
		return strconv.Itoa(s[0]) + " values"
	}
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, "×")
}

// withSize writes a shape with its number of values: 4×4×8 (128 values),
// or 32 values.
func withSize(s []int) string {
	if len(s) == 1 {
		return ShapeText(s)
	}
	return fmt.Sprintf("%s (%d values)", ShapeText(s), size(s))
}

func size(s []int) int { return nn.Shape(s).Size() }

// Plan checks the spec and works out each layer's shape and cost without
// allocating the model. On an error it returns the layers planned before
// the one at fault, so an editor can still show them.
func (s Spec) Plan() (Plan, error) {
	var p Plan
	in := s.Input
	if !(len(in) == 1 && in[0] == DataSize || len(in) == 3 && in[0] == 28 && in[1] == 28 && in[2] == 1) {
		return p, &Error{Msg: fmt.Sprintf("the input must be a 28×28 digit: 784 values or 28×28×1, not %s", shapeOrNone(in))}
	}
	if len(s.Layers) == 0 {
		return p, &Error{Msg: "the model has no layers"}
	}
	if len(s.Layers) > MaxLayers {
		return p, &Error{Msg: fmt.Sprintf("%d layers: more than the %d a model may have", len(s.Layers), MaxLayers)}
	}
	count := map[string]int{}
	shape := slices.Clone(in)
	p.Values = size(in)
	for i, l := range s.Layers {
		fail := func(format string, args ...any) (Plan, error) {
			return p, &Error{Layer: i + 1, Kind: l.Title(), Msg: fmt.Sprintf(format, args...)}
		}
		prefix, ok := kerasPrefix[l.Kind]
		if !ok {
			return fail("%q is not a layer this playground has (%s)", l.Kind, strings.Join(Kinds, ", "))
		}
		if msg := l.argsProblem(); msg != "" {
			return fail("%s", msg)
		}
		var lp LayerPlan
		if l.Kind == Sampling { // its heads, which Keras numbers as Dense layers
			for range 2 {
				count[kerasPrefix[Dense]]++
				lp.Heads = append(lp.Heads, kerasPrefix[Dense]+"_"+strconv.Itoa(count[kerasPrefix[Dense]]))
			}
		}
		count[prefix]++
		lp.Name = prefix + "_" + strconv.Itoa(count[prefix])
		switch l.Kind {
		case Dense, Sampling:
			if len(shape) != 1 {
				return fail("needs a flat input but gets %s: put a Flatten before it", ShapeText(shape))
			}
			heads := 1
			if l.Kind == Sampling {
				heads = 2
				if count[prefix] > 1 {
					return fail("a model samples its code once: this is a second Sampling layer")
				}
				if s.Code != i {
					return fail("the sampled z is the code: mark this layer as the code (* in the text)")
				}
			}
			lp.Out = []int{l.Units}
			lp.Params = heads * (shape[0]*l.Units + l.Units)
			lp.MACs = heads * shape[0] * l.Units
		case Conv2D, MaxPooling2D:
			if len(shape) != 3 {
				return fail("needs an image (height×width×channels) but gets %s: put a Reshape before it", ShapeText(shape))
			}
			k, stride, what := l.Kernel, l.Strides, "kernel"
			if l.Kind == MaxPooling2D {
				k, stride, what = l.Size, l.Size, "pool"
			}
			pad := nn.Same
			if l.Padding == "valid" {
				pad = nn.Valid
			}
			oh, okH := nn.OutSize(shape[0], k, stride, pad)
			ow, okW := nn.OutSize(shape[1], k, stride, pad)
			if !okH || !okW {
				return fail("a %d×%d %s does not fit its %s input with 'valid' padding", k, k, what, ShapeText(shape))
			}
			if l.Kind == Conv2D {
				lp.Out = []int{oh, ow, l.Filters}
				lp.Params = k*k*shape[2]*l.Filters + l.Filters
				lp.MACs = oh * ow * k * k * shape[2] * l.Filters
			} else {
				lp.Out = []int{oh, ow, shape[2]}
			}
		case UpSampling2D:
			if len(shape) != 3 {
				return fail("needs an image (height×width×channels) but gets %s: put a Reshape before it", ShapeText(shape))
			}
			lp.Out = []int{shape[0] * l.Size, shape[1] * l.Size, shape[2]}
		case Flatten:
			lp.Out = []int{size(shape)}
		case Reshape:
			if size(l.Target) != size(shape) {
				return fail("cannot reshape %s to %s", withSize(shape), withSize(l.Target))
			}
			lp.Out = slices.Clone(l.Target)
		}
		if n := size(lp.Out); n > MaxValues/4 {
			return fail("gives %s (%s values per digit): more than a tab can hold for a batch", ShapeText(lp.Out), numfmt.Thousands(n))
		}
		shape = lp.Out
		p.Layers = append(p.Layers, lp)
		p.Params += lp.Params
		p.MACs += lp.MACs
		p.Values += size(lp.Out)
	}
	last := len(s.Layers)
	if !slices.Equal(shape, in) {
		hint := ""
		if size(shape) == size(in) {
			hint = fmt.Sprintf(": end with a Reshape to %s", ShapeText(in))
		}
		return p, &Error{Layer: last, Kind: s.Layers[last-1].Title(), Msg: fmt.Sprintf("gives %s but the input is %s%s", ShapeText(shape), ShapeText(in), hint)}
	}
	if l := s.Layers[last-1]; l.L1 != 0 || l.L2 != 0 {
		return p, &Error{Layer: last, Kind: l.Title(), Msg: "the last layer's output is the reconstruction: an activity penalty goes on a layer before it"}
	}
	if s.Code < 0 || s.Code >= last-1 {
		if s.Code == last-1 {
			return p, &Error{Msg: "the code cannot be the last layer's output, which is the reconstruction: mark a layer before it (* in the text)"}
		}
		return p, &Error{Msg: "no layer is marked as the code (* in the text)"}
	}
	p.CodeSize = size(p.Layers[s.Code].Out)
	if !slices.Contains(Losses, s.Loss) {
		return p, &Error{Msg: fmt.Sprintf("the loss %q is not one of %s", s.Loss, strings.Join(Losses, ", "))}
	}
	if s.Loss == "bce" {
		// The reconstruction comes from the last layer with an activation.
		for i := last - 1; i >= 0; i-- {
			if l := s.Layers[i]; l.Kind == Dense || l.Kind == Conv2D {
				if l.Activation != "sigmoid" {
					return p, &Error{Layer: i + 1, Kind: l.Title(), Msg: "binary cross-entropy needs outputs in [0, 1]: give the last layer a sigmoid, or use the mse loss"}
				}
				break
			}
		}
	}
	switch {
	case s.NoiseKind != "" && s.NoiseKind != MaskNoise:
		return p, &Error{Msg: fmt.Sprintf("the noise %q is not Gaussian or %s", s.NoiseKind, MaskNoise)}
	case s.NoiseKind == MaskNoise && !(s.Noise >= 0 && s.Noise <= 1):
		return p, &Error{Msg: fmt.Sprintf("the masking probability %v is outside [0, 1]", s.Noise)}
	case !(s.Noise >= 0 && s.Noise <= 2):
		return p, &Error{Msg: fmt.Sprintf("the training noise σ %v is outside [0, 2]", s.Noise)}
	}
	if p.Params > MaxParams {
		big := 0
		for i, lp := range p.Layers {
			if lp.Params > p.Layers[big].Params {
				big = i
			}
		}
		return p, &Error{Layer: big + 1, Kind: s.Layers[big].Title(), Msg: fmt.Sprintf("the model has %s parameters (this layer %s): more than the %s a tab trains",
			numfmt.Thousands(p.Params), numfmt.Thousands(p.Layers[big].Params), numfmt.Thousands(MaxParams))}
	}
	if p.Values > MaxValues {
		return p, &Error{Msg: fmt.Sprintf("the layers' outputs hold %s values per digit: more than the %s a tab can keep for a batch", numfmt.Thousands(p.Values), numfmt.Thousands(MaxValues))}
	}
	return p, nil
}

// argsProblem says what is wrong with a layer's own arguments, or "".
func (l Layer) argsProblem() string {
	act := func() string {
		if !slices.Contains(Activations, l.Activation) {
			return fmt.Sprintf("the activation %q is not one of %s", l.Activation, strings.Join(Activations, ", "))
		}
		return ""
	}
	pad := func() string {
		if !slices.Contains(Paddings, l.Padding) {
			return fmt.Sprintf("the padding %q is not one of %s", l.Padding, strings.Join(Paddings, ", "))
		}
		return ""
	}
	for _, r := range [...]struct {
		name string
		v    float64
	}{{"l1", l.L1}, {"l2", l.L2}} {
		if !(r.v >= 0 && r.v <= maxRate) {
			return fmt.Sprintf("an activity penalty %s=%v: rates are 0 to %v", r.name, r.v, maxRate)
		}
	}
	switch l.Kind {
	case Dense:
		if l.Units < 1 || l.Units > maxUnits {
			return fmt.Sprintf("%d units: a Dense layer has 1 to %d", l.Units, maxUnits)
		}
		return act()
	case Sampling:
		if l.Units < 1 || l.Units > maxLatent {
			return fmt.Sprintf("a code of %d: a Sampling layer draws 1 to %d values", l.Units, maxLatent)
		}
	case Conv2D:
		switch {
		case l.Filters < 1 || l.Filters > maxFilters:
			return fmt.Sprintf("%d filters: a Conv2D layer has 1 to %d", l.Filters, maxFilters)
		case l.Kernel < 1 || l.Kernel > maxKernel:
			return fmt.Sprintf("a %d×%d kernel: kernels are 1×1 to %d×%d", l.Kernel, l.Kernel, maxKernel, maxKernel)
		case l.Strides < 1 || l.Strides > maxStride:
			return fmt.Sprintf("strides %d: 1 to %d", l.Strides, maxStride)
		}
		if m := act(); m != "" {
			return m
		}
		return pad()
	case MaxPooling2D:
		if l.Size < 1 || l.Size > maxSize {
			return fmt.Sprintf("a pool of %d: 1 to %d", l.Size, maxSize)
		}
		return pad()
	case UpSampling2D:
		if l.Size < 1 || l.Size > maxSize {
			return fmt.Sprintf("a factor of %d: 1 to %d", l.Size, maxSize)
		}
	case Reshape:
		if len(l.Target) != 1 && len(l.Target) != 3 {
			return "the target shape has one dimension (values) or three (height×width×channels)"
		}
		for _, d := range l.Target {
			if d < 1 || d > maxDim {
				return fmt.Sprintf("the target %s has a dimension outside 1 to %d", ShapeText(l.Target), maxDim)
			}
		}
	}
	return ""
}

func shapeOrNone(s []int) string {
	if len(s) == 0 {
		return "nothing"
	}
	return ShapeText(s)
}

// CheckBatch says whether a batch of this many samples fits the limit on
// activation memory.
func (p Plan) CheckBatch(batch int) error {
	if b := 2 * 4 * p.Values * batch; batch > 0 && b > MaxBatchBytes {
		return fmt.Errorf("a batch of %d needs %s MB for this model's activations: more than the %d MB a tab may use; try a batch of %d",
			batch, numfmt.Thousands(b>>20), MaxBatchBytes>>20, MaxBatchBytes/(8*p.Values))
	}
	return nil
}
