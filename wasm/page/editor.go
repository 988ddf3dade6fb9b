package page

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"aeplay/nn/spec"
)

// The editor's operations on a spec, as plain Go (the DOM part is
// editor_js.go). Each returns a new spec and leaves its argument alone, so
// the model on show keeps its spec while the reader edits a draft. The code
// mark follows the layer it is on when layers move, and a removed code
// layer passes the mark to the layer before it.

// NewLayer is a layer of the kind with arguments that fit an input of the
// given shape where they can: a Reshape to a square image or to flat
// values, a Conv2D or Dense layer with a common size.
func NewLayer(kind string, in []int) spec.Layer {
	switch kind {
	case spec.Dense:
		return spec.Layer{Kind: kind, Units: 32, Activation: "relu"}
	case spec.Conv2D:
		return spec.Layer{Kind: kind, Filters: 16, Kernel: 3, Strides: 1, Padding: "same", Activation: "relu"}
	case spec.MaxPooling2D:
		return spec.Layer{Kind: kind, Size: 2, Padding: "same"}
	case spec.UpSampling2D:
		return spec.Layer{Kind: kind, Size: 2}
	case spec.Sampling:
		return spec.Layer{Kind: kind, Units: 2}
	case spec.Reshape:
		return spec.Layer{Kind: kind, Target: reshapeTarget(in)}
	}
	return spec.Layer{Kind: kind}
}

// reshapeTarget is the natural other shape of a layer's input: an image's
// values flat, or flat values as the largest square image they fill.
func reshapeTarget(in []int) []int {
	n := 1
	for _, d := range in {
		n *= d
	}
	if len(in) == 3 || n < 1 {
		return []int{max(n, 1)}
	}
	for h := int(math.Sqrt(float64(n))); h > 1; h-- {
		if n%(h*h) == 0 {
			return []int{h, h, n / (h * h)}
		}
	}
	return []int{1, 1, n}
}

// KindFor is the layer a reader most likely adds after an output of this
// shape: a Conv2D on an image, a Dense on flat values.
func KindFor(shape []int) string {
	if len(shape) == 3 {
		return spec.Conv2D
	}
	return spec.Dense
}

// ShapeBefore is the input shape of layer i as far as the spec plans: the
// spec's input for the first layer, the output of the layer before it
// otherwise, or nil when the plan stops before it.
func ShapeBefore(s spec.Spec, p spec.Plan, i int) []int {
	if i == 0 {
		return s.Input
	}
	if i-1 < len(p.Layers) {
		return p.Layers[i-1].Out
	}
	return nil
}

// InsertLayer puts a new layer of the kind at index at (0 … len).
func InsertLayer(s spec.Spec, at int, kind string) spec.Spec {
	p, _ := s.Plan()
	c := s.Clone()
	at = min(max(at, 0), len(c.Layers))
	c.Layers = slices.Insert(c.Layers, at, NewLayer(kind, ShapeBefore(s, p, at)))
	if c.Code >= at {
		c.Code++
	}
	return c
}

// RemoveLayer drops layer i.
func RemoveLayer(s spec.Spec, i int) spec.Spec {
	c := s.Clone()
	if i < 0 || i >= len(c.Layers) {
		return c
	}
	c.Layers = slices.Delete(c.Layers, i, i+1)
	if c.Code >= i && c.Code > 0 {
		c.Code--
	}
	return c
}

// MoveLayer swaps layer i with its neighbour d (-1 up, +1 down).
func MoveLayer(s spec.Spec, i, d int) spec.Spec {
	c := s.Clone()
	j := i + d
	if i < 0 || j < 0 || i >= len(c.Layers) || j >= len(c.Layers) {
		return c
	}
	c.Layers[i], c.Layers[j] = c.Layers[j], c.Layers[i]
	switch c.Code {
	case i:
		c.Code = j
	case j:
		c.Code = i
	}
	return c
}

// SetLayer replaces layer i; a new kind gets that kind's defaults for the
// layer's input.
func SetLayer(s spec.Spec, i int, l spec.Layer) spec.Spec {
	c := s.Clone()
	if i < 0 || i >= len(c.Layers) {
		return c
	}
	if l.Kind != c.Layers[i].Kind {
		p, _ := s.Plan()
		l = NewLayer(l.Kind, ShapeBefore(s, p, i))
	}
	c.Layers[i] = l
	return c
}

// ParseDims reads a shape as a reader types it: "4,4,8", "4×4×8", "4x4x8"
// or "128".
func ParseDims(t string) ([]int, error) {
	t = strings.NewReplacer("×", ",", "x", ",", "X", ",", " ", "").Replace(t)
	var out []int
	for _, f := range strings.Split(t, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("“%s” is not a shape: write its sizes, as 4×4×8 or 128", t)
		}
		out = append(out, n)
	}
	return out, nil
}

// Rates are training speeds measured in this tab, in multiply-adds per
// second (three per forward multiply-add: the forward pass and the
// backward's two products), kept apart for models with and without
// convolutions, whose kernels run at very different rates.
type Rates struct{ Dense, Conv float64 }

// hasConv says whether a spec has a convolution.
func hasConv(s spec.Spec) bool {
	return slices.ContainsFunc(s.Layers, func(l spec.Layer) bool { return l.Kind == spec.Conv2D })
}

// Observe records a measured speed of a run of the spec.
func (r *Rates) Observe(s spec.Spec, samplesPerSec float64) {
	p, err := s.Plan()
	if err != nil || samplesPerSec <= 0 || p.MACs == 0 {
		return
	}
	rate := samplesPerSec * 3 * float64(p.MACs)
	if hasConv(s) {
		r.Conv = rate
	} else {
		r.Dense = rate
	}
}

// EpochSeconds estimates an epoch of the spec on this many digits from its
// multiply-adds and the rate measured for its kind of model; false when
// none has been measured.
func (r Rates) EpochSeconds(s spec.Spec, p spec.Plan, samples int) (float64, bool) {
	rate := r.Dense
	if hasConv(s) {
		rate = r.Conv
	}
	if rate <= 0 {
		return 0, false
	}
	return float64(samples) * 3 * float64(p.MACs) / rate, true
}

// Duration writes seconds as a reader reads a wait: "0.4 s", "12 s",
// "3 min", "2.5 h".
func Duration(sec float64) string {
	switch {
	case sec < 10:
		return strconv.FormatFloat(sec, 'f', 1, 64) + " s"
	case sec < 120:
		return strconv.Itoa(int(math.Round(sec))) + " s"
	case sec < 7200:
		return strconv.Itoa(int(math.Round(sec/60))) + " min"
	}
	return strconv.FormatFloat(sec/3600, 'f', 1, 64) + " h"
}
