package spec

import (
	"fmt"

	"aeplay/nn"
)

var activations = map[string]nn.Activation{"linear": nn.Linear, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}

func padding(p string) nn.Padding {
	if p == "valid" {
		return nn.Valid
	}
	return nn.Same
}

// Build checks the spec and makes its model, named name, with fresh zero
// weights (call Init or load weights next). Layers get Keras' default
// names, numbered per kind from 1, as the plan shows them.
func (s Spec) Build(name string) (*nn.Model, error) {
	if _, err := s.Plan(); err != nil {
		return nil, err
	}
	layers := make([]nn.Layer, len(s.Layers))
	for i, l := range s.Layers {
		switch l.Kind {
		case Dense:
			layers[i] = nn.Dense(l.Units, activations[l.Activation])
		case Conv2D:
			layers[i] = nn.Conv2D(l.Filters, l.Kernel, l.Strides, padding(l.Padding), activations[l.Activation])
		case MaxPooling2D:
			layers[i] = nn.MaxPool2D(l.Size, padding(l.Padding))
		case UpSampling2D:
			layers[i] = nn.UpSampling2D(l.Size)
		case Flatten:
			layers[i] = nn.Flatten()
		case Reshape:
			layers[i] = nn.Reshape(l.Target...)
		case Sampling:
			layers[i] = nn.Sampling(l.Units)
		}
	}
	m, err := nn.NewModel(name, nn.Shape(s.Input), s.Code, layers...)
	if err != nil {
		// Plan checks what NewModel does; a difference is a bug here.
		return nil, fmt.Errorf("spec: the checked spec %s did not build: %w", s, err)
	}
	m.Spec = s.String()
	m.PerSample = s.Sum
	for i, l := range s.Layers {
		p := nn.Penalty{Layer: i, L1: float32(l.L1), L2: float32(l.L2)}
		if l.Kind == Sampling {
			p.KL = 1 // the variational autoencoder's KL term, as the post weighs it
		}
		if p != (nn.Penalty{Layer: i}) {
			m.Penalties = append(m.Penalties, p)
		}
	}
	return m, nil
}

// MaskNoise names masking noise (NoiseKind).
const MaskNoise = "mask"

// NoiseKindOf is the nn noise a NoiseKind names: Gaussian for "".
func NoiseKindOf(kind string) nn.NoiseKind {
	if kind == MaskNoise {
		return nn.Masking
	}
	return nn.Gaussian
}

// LossFunc is the spec's loss for a trainer.
func (s Spec) LossFunc() nn.Loss {
	if s.Loss == "mse" {
		return nn.MSE{}
	}
	return nn.BCE{}
}
