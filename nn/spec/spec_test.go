package spec

import (
	"slices"
	"strings"
	"testing"
)

const convText = `input(28x28x1);
	conv2d(16,3,relu,same); maxpooling2d(2,same); conv2d(8,3,relu,same); maxpooling2d(2,same);
	conv2d(8,3,relu,same,strides=2); flatten*; reshape(4x4x8);
	conv2d(8,3,relu,same); upsampling2d(2); conv2d(8,3,relu,same); upsampling2d(2);
	conv2d(16,3,relu,valid); upsampling2d(2); conv2d(1,3,sigmoid,same); loss(bce)`

func mustParse(t *testing.T, text string) Spec {
	t.Helper()
	s, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPlanMatchesTheModel: the plan's shapes, parameters and names are the
// built model's, for the post's conv model.
func TestPlanMatchesTheModel(t *testing.T) {
	s := mustParse(t, convText)
	p, err := s.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if p.Params != 4385 || p.CodeSize != 128 {
		t.Errorf("plan: %d params, code %d; Keras says 4,385 and 128", p.Params, p.CodeSize)
	}
	m, err := s.Build("conv")
	if err != nil {
		t.Fatal(err)
	}
	if m.NumParams() != p.Params || m.MACs() != p.MACs {
		t.Errorf("model: %d params, %d MACs; plan: %d, %d", m.NumParams(), m.MACs(), p.Params, p.MACs)
	}
	for i, l := range m.Layers {
		if !slices.Equal([]int(l.OutputShape()), p.Layers[i].Out) || l.Name() != p.Layers[i].Name {
			t.Errorf("layer %d: model %s %v, plan %s %v", i+1, l.Name(), l.OutputShape(), p.Layers[i].Name, p.Layers[i].Out)
		}
	}
}

// TestErrorsNameTheLayer: each kind of mistake an editor can make gives an
// error on the right layer, in words.
func TestErrorsNameTheLayer(t *testing.T) {
	for _, tc := range []struct {
		text  string
		layer int
		want  string
	}{
		// The example: a valid 3×3 at the end shrinks 28 to 26.
		{`input(28x28x1); conv2d(8,3,relu,same)*; conv2d(1,3,sigmoid,valid)`, 2, "layer 2 (Conv2D): gives 26×26×1 but the input is 28×28×1"},
		{`input(784); dense(32,relu)*; dense(700,sigmoid)`, 2, "gives 700 values but the input is 784 values"},
		{`input(28x28x1); flatten; dense(32,relu)*; dense(784,sigmoid)`, 3, "end with a Reshape to 28×28×1"},
		{`input(784); conv2d(8,3,relu,same)*; dense(784,sigmoid)`, 1, "needs an image"},
		{`input(28x28x1); dense(32,relu)*; dense(784,sigmoid)`, 1, "put a Flatten before it"},
		{`input(784); dense(0,relu)*; dense(784,sigmoid)`, 1, "0 units"},
		{`input(784); dense(32,tanh)*; dense(784,sigmoid)`, 1, `activation "tanh"`},
		{`input(784); dense(32,relu)*; dense(784,linear)`, 2, "binary cross-entropy needs outputs in [0, 1]"},
		{`input(784); dense(32,relu); dense(784,sigmoid)`, 0, "no layer is marked as the code"},
		{`input(784); dense(32,relu); dense(784,sigmoid)*`, 0, "the code cannot be the last layer"},
		{`input(784); dense(3000,relu)*; dense(3000,relu); dense(784,sigmoid)`, 2, "more than the 4,000,000"},
		{`input(28x28x1); conv2d(8,3,relu,same)*; reshape(28x28x4); conv2d(1,3,sigmoid,same)`, 2, "cannot reshape 28×28×8 (6272 values) to 28×28×4"},
		{`input(28x28x1); upsampling2d(8); upsampling2d(8)*; conv2d(1,3,sigmoid,same)`, 2, "more than a tab can hold"},
		{`input(32x32x1); flatten*; reshape(28x28x1)`, 0, "the input must be a 28×28 digit"},
		{`input(784); dense(32,relu)*; dense(784,sigmoid); noise(3)`, 0, "noise σ 3 is outside"},
		{`input(784); dense(32,relu,l1=-1)*; dense(784,sigmoid)`, 1, "an activity penalty l1=-1"},
		{`input(784); dense(32,relu)*; dense(784,sigmoid,l2=0.1)`, 2, "an activity penalty goes on a layer before it"},
		{`input(784); dense(64,relu); sampling(2); dense(784,sigmoid)*`, 2, "the sampled z is the code"},
		{`input(784); sampling(8)*; sampling(2); dense(784,sigmoid)`, 2, "a second Sampling layer"},
		{`input(28x28x1); sampling(2)*; dense(784,sigmoid)`, 1, "put a Flatten before it"},
		{`input(784); sampling(0)*; dense(784,sigmoid)`, 1, "a code of 0"},
		{`input(784); dense(32,relu)*; dense(784,sigmoid); noise(mask,1.5)`, 0, "masking probability 1.5 is outside [0, 1]"},
	} {
		s := mustParse(t, tc.text)
		_, err := s.Plan()
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("%s: error %v, want a *spec.Error", tc.text, err)
			continue
		}
		if e.Layer != tc.layer || !strings.Contains(e.Error(), tc.want) {
			t.Errorf("%s:\n got layer %d: %s\nwant layer %d: …%s…", tc.text, e.Layer, e, tc.layer, tc.want)
		}
		if _, err := s.Build("x"); err == nil {
			t.Errorf("%s: built", tc.text)
		}
	}
}

// TestPenaltyText: the sparse model's code penalty reads and writes as
// the post writes it (10e-5 is 1e-4), on any kind of layer.
func TestPenaltyText(t *testing.T) {
	s := mustParse(t, "input(784); dense(32,relu,l1=10e-5)*; dense(784,sigmoid)")
	if s.Layers[0].L1 != 1e-4 || s.String() != "input(784);dense(32,relu,l1=0.0001)*;dense(784,sigmoid);loss(bce)" {
		t.Errorf("%+v: %s", s.Layers[0], s)
	}
	s = mustParse(t, "input(28x28x1); conv2d(4,3,relu,same,strides=2,l2=0.01); flatten(l1=0.001,l2=0.5)*; reshape(14x14x4); upsampling2d(2); conv2d(1,3,sigmoid,same)")
	if got := s.String(); got != "input(28x28x1);conv2d(4,3,relu,same,strides=2,l2=0.01);flatten(l1=0.001,l2=0.5)*;reshape(14x14x4);upsampling2d(2);conv2d(1,3,sigmoid,same);loss(bce)" {
		t.Errorf("written back as %s", got)
	}
	m, err := s.Build("x")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Penalties) != 2 || m.Penalties[1].Layer != 1 || m.Penalties[1].L1 != 0.001 || m.Penalties[1].L2 != 0.5 {
		t.Errorf("the model's penalties: %+v", m.Penalties)
	}
}

// TestParseErrors: text that is not a spec is refused naming the item.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{`dense(32,relu)`, "item 1"},
		{`input(784); dense(32)`, "item 2, \"dense(32)\": dense takes units, activation"},
		{`input(784); dense(32,relu)*; dense(784,sigmoid)*`, "one * only"},
		{`input(784); lstm(3)`, `"lstm" is not a layer`},
		{`input(784); conv2d(8,3,relu,same,stride=2)`, "has no stride= argument"},
		{`input(784); dense(x,relu)`, `units "x" is not a whole number`},
		{`input(784); loss(mse); dense(3,relu)`, "layers come before"},
		{`input(784); dense(32,relu(`, "name(arguments)"},
		{`input(784); dense(32,relu,l1=x)`, "l1=x is not a number"},
		{`input(784); dense(32,relu,l1=1,l1=2)`, "l1= comes twice"},
		{`input(784); dense(32,relu)*; dense(784,sigmoid); loss(bce,mean)`, "loss(bce,sum)"},
		{`input(784); sampling*`, "sampling takes code size"},
		{`input(784); dense(3,relu)*; dense(784,sigmoid); noise(salt,0.1)`, "noise takes one σ"},
		{strings.Repeat("x", MaxText+1), "more than the 4096"},
	} {
		_, err := Parse(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.60s: error %v, want …%s…", tc.text, err, tc.want)
		}
	}
}

// TestCheckBatch: the activation memory of a batch is bounded.
func TestCheckBatch(t *testing.T) {
	p, err := mustParse(t, convText).Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckBatch(256); err != nil {
		t.Error(err)
	}
	if err := p.CheckBatch(1 << 20); err == nil || !strings.Contains(err.Error(), "try a batch of") {
		t.Errorf("a batch of a million: %v", err)
	}
}
