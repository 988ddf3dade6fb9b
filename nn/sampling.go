package nn

import (
	"math"
	"math/rand/v2"
)

// SamplingLayer is a variational autoencoder's code: the Keras post's
// z_mean and z_log_var layers and its Lambda(sampling) in one layer of a
// Sequential model. From its flat input h it computes
//
//	μ = h·Wμ + bμ,  log σ² = h·Wσ + bσ,  z = μ + exp(log σ²/2)·ε,
//
// with ε ~ N(0, I) drawn by the Runner (Runner.Sample). Without a draw ε
// is 0 and z = μ: the encoder's mean, which the latent views show. The two
// heads are Dense layers to Keras, which numbers them with the model's
// other Dense layers (the post's are dense_2 and dense_3), so their
// parameters carry those names and a weights file matches the post's
// model. The KL divergence of N(μ, σ²) from N(0, I) enters the loss as a
// Penalty with KL set.
type SamplingLayer struct {
	base
	Latent           int
	meanName, lvName string
	meanK, meanB     Param
	lvK, lvB         Param
}

// Sampling returns a sampling layer with a code of latent values.
func Sampling(latent int) *SamplingLayer { return &SamplingLayer{Latent: latent} }

func (l *SamplingLayer) Type() string { return "Sampling" }

func (l *SamplingLayer) Params() []*Param { return []*Param{&l.meanK, &l.meanB, &l.lvK, &l.lvB} }

// Heads names the two Dense heads, the mean's first.
func (l *SamplingLayer) Heads() (mean, logVar string) { return l.meanName, l.lvName }

func (l *SamplingLayer) heads() int { return 2 }

func (l *SamplingLayer) setHeads(names []string) { l.meanName, l.lvName = names[0], names[1] }

func (l *SamplingLayer) build(in Shape) (Shape, error) {
	if len(in) != 1 {
		return nil, l.errorf("Sampling needs a flat input, got shape %v (add a Flatten layer)", in)
	}
	if l.Latent <= 0 {
		return nil, l.errorf("the code size must be positive, got %d", l.Latent)
	}
	h, z := in[0], l.Latent
	l.in, l.out = in.clone(), Shape{z}
	kernel := func(name string) Param {
		return Param{Name: name + "/kernel", Shape: []int{h, z}, Value: make([]float32, h*z), fanIn: h, fanOut: z}
	}
	bias := func(name string) Param {
		return Param{Name: name + "/bias", Shape: []int{z}, Value: make([]float32, z)}
	}
	l.meanK, l.meanB, l.lvK, l.lvB = kernel(l.meanName), bias(l.meanName), kernel(l.lvName), bias(l.lvName)
	return l.out, nil
}

func (l *SamplingLayer) clone() Layer {
	return &SamplingLayer{base: base{name: l.name}, Latent: l.Latent, meanName: l.meanName, lvName: l.lvName}
}

func (l *SamplingLayer) macs() int { return 2 * l.in[0] * l.Latent }

// stateSize: μ, log σ² and ε of every sample, kept from Forward for
// Backward and the KL term.
func (l *SamplingLayer) stateSize(n int) int { return 3 * n * l.Latent }

// scratch holds the gradient with respect to log σ².
func (l *SamplingLayer) scratch(n int) int { return n * l.Latent }

// parts splits the layer's state into μ, log σ² and ε for n samples.
func (l *SamplingLayer) parts(state []float32, n int) (mu, lv, eps []float32) {
	third := len(state) / 3
	k := n * l.Latent
	return state[:k], state[third : third+k], state[2*third : 2*third+k]
}

// draw fills ε for n samples: sample j from a PCG seeded (seed,
// streams[j]), so that a sample's draw is the same whatever batch, share
// or worker computes it; nil streams make ε 0.
func (l *SamplingLayer) draw(state []float32, n int, seed uint64, streams []uint64) {
	_, _, eps := l.parts(state, n)
	if streams == nil {
		clear(eps)
		return
	}
	z := l.Latent
	var pcg rand.PCG
	for j := 0; j < n; j++ {
		pcg.Seed(seed, streams[j])
		e := eps[j*z : (j+1)*z]
		for i := 0; i < z; i += 2 {
			a, b := normalPair(&pcg)
			e[i] = a
			if i+1 < z {
				e[i+1] = b
			}
		}
	}
}

func (l *SamplingLayer) Forward(ws *Workspace, x, y []float32, n int) {
	h, z := l.in[0], l.Latent
	mu, lv, eps := l.parts(ws.state, n)
	k := ws.Kernel
	k.Gemm(false, false, n, z, h, 1, x, h, l.meanK.Value, z, 0, mu, z)
	k.BiasAct(Linear, mu, l.meanB.Value)
	k.Gemm(false, false, n, z, h, 1, x, h, l.lvK.Value, z, 0, lv, z)
	k.BiasAct(Linear, lv, l.lvB.Value)
	y = y[:n*z]
	for i := range y {
		y[i] = mu[i] + expf(lv[i]/2)*eps[i]
	}
}

// Backward takes dz to the heads: ∂z/∂μ = 1 and ∂z/∂log σ² = ½σε, plus
// the KL term's ∂/∂μ = μ and ∂/∂log σ² = ½(σ² − 1), weighted by
// ws.klScale.
func (l *SamplingLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	h, z := l.in[0], l.Latent
	mu, lv, eps := l.parts(ws.state, n)
	dmu := dy[:n*z]
	dlv := ws.floats(n * z)
	kl := ws.klScale
	for i := range dmu {
		s := expf(lv[i] / 2)
		dlv[i] = dmu[i]*0.5*s*eps[i] + kl*0.5*(s*s-1)
		dmu[i] += kl * mu[i]
	}
	k := ws.Kernel
	k.Gemm(true, false, h, z, n, 1, x, h, dmu, z, 1, grads[0], z)
	k.ColSums(grads[1], dmu)
	k.Gemm(true, false, h, z, n, 1, x, h, dlv, z, 1, grads[2], z)
	k.ColSums(grads[3], dlv)
	if dx != nil {
		k.Gemm(false, true, n, h, z, 1, dmu, z, l.meanK.Value, z, 0, dx, h)
		k.Gemm(false, true, n, h, z, 1, dlv, z, l.lvK.Value, z, 1, dx, h)
	}
}

// kl is the KL divergence of N(μ, σ²) from N(0, I) summed over the last
// Forward's n samples, −½ Σ (1 + log σ² − μ² − σ²), from the layer's
// state.
func (l *SamplingLayer) kl(state []float32, n int) float64 {
	mu, lv, _ := l.parts(state, n)
	var s float64
	for i := range mu {
		m, v := float64(mu[i]), float64(lv[i])
		s += 1 + v - m*m - math.Exp(v)
	}
	return -s / 2
}

// stateful layers keep values of the forward pass that their Backward (or
// a loss term) needs beyond their input and output: the Runner holds
// stateSize(maxBatch) floats for each, passed in Workspace.state.
type stateful interface {
	Layer
	stateSize(n int) int
}

// headed layers hold the parameters of layers Keras numbers on their own
// (Sampling's two Dense heads): NewModel names them in the model's
// numbering of Dense layers.
type headed interface {
	heads() int
	setHeads(names []string)
}
