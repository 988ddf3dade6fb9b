package spectest

import (
	"math/rand/v2"

	"aeplay/nn/spec"
)

// Random builds a valid spec at random: an encoder of Dense or
// Conv2D/pool layers, a code, and a decoder back to the input's shape.
func Random(r *rand.Rand) spec.Spec {
	acts := []string{"linear", "relu", "sigmoid"}
	act := func() string { return acts[r.IntN(3)] }
	s := spec.Spec{Loss: spec.Losses[r.IntN(2)]}
	if r.IntN(2) == 0 {
		s.Input = []int{784}
		for range 1 + r.IntN(3) {
			s.Layers = append(s.Layers, spec.Layer{Kind: spec.Dense, Units: 1 + r.IntN(300), Activation: act()})
		}
		s.Code = len(s.Layers) - 1
		if r.IntN(4) == 0 { // a variational autoencoder's code
			s.Layers = append(s.Layers, spec.Layer{Kind: spec.Sampling, Units: 1 + r.IntN(16)})
			s.Code++
		}
		for range r.IntN(3) {
			s.Layers = append(s.Layers, spec.Layer{Kind: spec.Dense, Units: 1 + r.IntN(300), Activation: act()})
		}
		s.Layers = append(s.Layers, spec.Layer{Kind: spec.Dense, Units: 784, Activation: "sigmoid"})
	} else {
		s.Input = []int{28, 28, 1}
		pad := spec.Paddings[r.IntN(2)]
		s.Layers = append(s.Layers,
			spec.Layer{Kind: spec.Conv2D, Filters: 1 + r.IntN(16), Kernel: 1 + 2*r.IntN(2), Strides: 1, Padding: "same", Activation: act()},
			spec.Layer{Kind: spec.MaxPooling2D, Size: 2, Padding: pad},
			spec.Layer{Kind: spec.Flatten})
		s.Code = 2
		c := 1 + r.IntN(4)
		s.Layers = append(s.Layers,
			spec.Layer{Kind: spec.Dense, Units: 14 * 14 * c, Activation: act()},
			spec.Layer{Kind: spec.Reshape, Target: []int{14, 14, c}})
		s.Layers = append(s.Layers, spec.Layer{Kind: spec.UpSampling2D, Size: 2},
			spec.Layer{Kind: spec.Conv2D, Filters: 1, Kernel: 3, Strides: 1, Padding: "same", Activation: "sigmoid"})
	}
	if r.IntN(3) == 0 {
		s.Noise = float64(r.IntN(20)) / 10
		if r.IntN(2) == 0 {
			s.NoiseKind, s.Noise = spec.MaskNoise, float64(1+r.IntN(9))/10
		}
	}
	s.Sum = r.IntN(4) == 0
	// An activity penalty on the code, sometimes on the layer before it.
	switch r.IntN(4) {
	case 0:
		s.Layers[s.Code].L1 = float64(1+r.IntN(9)) * 1e-4
	case 1:
		s.Layers[s.Code].L2 = float64(1+r.IntN(9)) * 1e-3
		if s.Code > 0 {
			s.Layers[s.Code-1].L1 = 1e-5
		}
	}
	return s
}
