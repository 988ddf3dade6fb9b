package nn

import (
	"aeplay/internal/numfmt"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Model is a Keras Sequential model: layers applied in order to an input of
// a fixed shape.
type Model struct {
	Name   string
	Input  Shape
	Layers []Layer
	// Code is the index of the layer whose output is the autoencoder's code
	// (its bottleneck), or -1.
	Code int
	// Spec is the text of the spec the model was built from (nn/spec),
	// written into weights files so that loading one rebuilds the model;
	// "" for a model built layer by layer.
	Spec string
	// Penalties are the activity regularizers on layers' outputs, part of
	// the loss (see Penalty).
	Penalties []Penalty
	// PerSample: the loss is summed over each sample's outputs and
	// averaged over the batch (the variational autoencoder's 784·BCE),
	// not averaged over every output value as Keras' losses are.
	PerSample bool
	params    []*Param
}

// LossSize is how many output values one sample's loss is divided by:
// all of them for Keras' mean, 1 for a loss per sample.
func (m *Model) LossSize() int {
	if m.PerSample {
		return 1
	}
	return m.Output().Size()
}

// kerasPrefix gives the name Keras uses for each layer type: its class
// name in snake case (MaxPooling2D is max_pooling2d).
func kerasPrefix(typ string) string {
	var b []byte
	for i := 0; i < len(typ); i++ {
		c := typ[i]
		if 'A' <= c && c <= 'Z' {
			if i > 0 && typ[i-1] >= 'a' && typ[i-1] <= 'z' {
				b = append(b, '_')
			}
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// NewModel builds a Sequential model of copies of layers: the layers given
// are templates, left as they are, so building twice gives two models that
// share nothing. Layers without a name get Keras' default, numbered per
// type from 1 in this model. code is the index of the code layer (-1 for
// none). Shapes are checked here: a layer that cannot take its
// predecessor's output is an error.
func NewModel(name string, in Shape, code int, layers ...Layer) (*Model, error) {
	if len(in) == 0 || in.Size() <= 0 {
		return nil, fmt.Errorf("nn: model %s: invalid input shape %v", name, in)
	}
	if code < -1 || code >= len(layers) {
		return nil, fmt.Errorf("nn: model %s: code layer %d out of range", name, code)
	}
	m := &Model{Name: name, Input: in.clone(), Code: code}
	for _, l := range layers {
		m.Layers = append(m.Layers, l.clone())
	}
	count := map[string]int{}
	seen := map[string]bool{}
	shape := m.Input
	for _, l := range m.Layers {
		if l.Name() == "" {
			if h, ok := l.(headed); ok {
				names := make([]string, h.heads())
				for i := range names {
					count["dense"]++
					names[i] = "dense_" + strconv.Itoa(count["dense"])
					if seen[names[i]] {
						return nil, fmt.Errorf("nn: model %s: two layers are named %s", name, names[i])
					}
					seen[names[i]] = true
				}
				h.setHeads(names)
			}
			prefix := kerasPrefix(l.Type())
			count[prefix]++
			l.setName(prefix + "_" + strconv.Itoa(count[prefix]))
		}
		if seen[l.Name()] {
			return nil, fmt.Errorf("nn: model %s: two layers are named %s", name, l.Name())
		}
		seen[l.Name()] = true
		out, err := l.build(shape)
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", name, err)
		}
		shape = out
		m.params = append(m.params, l.Params()...)
	}
	return m, nil
}

// Clone returns a model of the same architecture with a copy of m's
// weights: a replica.
func (m *Model) Clone() *Model {
	c, err := NewModel(m.Name, m.Input, m.Code, m.Layers...)
	if err != nil {
		panic("nn: Clone: " + err.Error()) // m was built from these layers
	}
	c.Spec = m.Spec
	c.Penalties = append([]Penalty(nil), m.Penalties...)
	c.PerSample = m.PerSample
	for i, p := range c.params {
		copy(p.Value, m.params[i].Value)
	}
	return c
}

// Samples reports whether the model has a sampling layer (a variational
// autoencoder), whose Runner then needs draws (Runner.Sample).
func (m *Model) Samples() bool {
	for _, l := range m.Layers {
		if _, ok := l.(*SamplingLayer); ok {
			return true
		}
	}
	return false
}

// Output is the shape of one output sample.
func (m *Model) Output() Shape {
	if len(m.Layers) == 0 {
		return m.Input
	}
	return m.Layers[len(m.Layers)-1].OutputShape()
}

// Params lists every trainable tensor, layer by layer, kernel before bias.
func (m *Model) Params() []*Param { return m.params }

// Param returns the parameter with the given name, or nil.
func (m *Model) Param(name string) *Param {
	for _, p := range m.params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// NumParams is the number of trainable values.
func (m *Model) NumParams() int {
	n := 0
	for _, p := range m.params {
		n += p.Size()
	}
	return n
}

// MACs is how many multiply-adds the forward pass of one sample takes (a
// training step is about three times as many).
func (m *Model) MACs() int {
	n := 0
	for _, l := range m.Layers {
		n += l.macs()
	}
	return n
}

// CodeShape is the shape of the code, or nil when the model has none.
func (m *Model) CodeShape() Shape {
	if m.Code < 0 {
		return nil
	}
	return m.Layers[m.Code].OutputShape()
}

// Init sets every kernel to glorot-uniform values (uniform in ±sqrt(6 /
// (fan_in + fan_out))) and every bias to zero, drawing from a PCG seeded with
// seed, layer by layer in Keras layout order. Same seed, same weights.
func (m *Model) Init(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x6175746f656e63)) // "autoenc"
	for _, p := range m.params {
		if p.fanIn+p.fanOut == 0 {
			clear(p.Value)
			continue
		}
		limit := math.Sqrt(6 / float64(p.fanIn+p.fanOut))
		for i := range p.Value {
			p.Value[i] = float32((2*rng.Float64() - 1) * limit)
		}
	}
}

// Encoder is the sub-model from the input up to and including the code
// layer. It shares its layers, and so its weights, with m.
func (m *Model) Encoder() *Model {
	if m.Code < 0 {
		return nil
	}
	return m.sub(m.Name+"_encoder", m.Input, m.Layers[:m.Code+1], m.Code)
}

// Decoder is the sub-model from the code to the output. It shares its layers
// with m.
func (m *Model) Decoder() *Model {
	if m.Code < 0 {
		return nil
	}
	return m.sub(m.Name+"_decoder", m.CodeShape(), m.Layers[m.Code+1:], -1)
}

func (m *Model) sub(name string, in Shape, layers []Layer, code int) *Model {
	s := &Model{Name: name, Input: in, Layers: layers, Code: code}
	for _, l := range layers {
		s.params = append(s.params, l.Params()...)
	}
	return s
}

// Summary is the table Keras' model.summary() prints: each layer with its
// output shape and parameter count, then the totals.
func (m *Model) Summary() string {
	var b strings.Builder
	rule := strings.Repeat("_", 65)
	fmt.Fprintf(&b, "Model: %q\n%s\n", m.Name, rule)
	fmt.Fprintf(&b, " %-27s %-25s %s\n%s\n", "Layer (type)", "Output Shape", "Param #", strings.Repeat("=", 65))
	row := func(name, shape string, params int) {
		fmt.Fprintf(&b, " %-27s %-25s %s\n", name, shape, numfmt.Thousands(params))
	}
	row("input_1 (InputLayer)", "["+m.Input.String()+"]", 0)
	for _, l := range m.Layers {
		n := 0
		for _, p := range l.Params() {
			n += p.Size()
		}
		row(l.Name()+" ("+l.Type()+")", l.OutputShape().String(), n)
	}
	fmt.Fprintf(&b, "%s\n", strings.Repeat("=", 65))
	fmt.Fprintf(&b, "Total params: %s\nTrainable params: %s\nNon-trainable params: 0\n", numfmt.Thousands(m.NumParams()), numfmt.Thousands(m.NumParams()))
	if cs := m.CodeShape(); cs != nil {
		fmt.Fprintf(&b, "Code: output of %s, %d values, compression factor %.1f\n", m.Layers[m.Code].Name(), cs.Size(), float64(m.Input.Size())/float64(cs.Size()))
	}
	fmt.Fprintf(&b, "%s\n", rule)
	return b.String()
}
