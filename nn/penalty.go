package nn

import (
	"fmt"
	"math"
)

// Penalty is an activity regularizer, Keras' activity_regularizer on a
// layer: L1·Σ|a| + L2·Σa² over the layer's output a for each sample,
// averaged over the batch and added to the loss, so that the reported loss
// and val_loss include it, as Keras reports them. (tf.keras divides the
// regularizer's value by the batch size; Keras 3 does too since
// keras-team/keras#22021, January 2026; earlier 3.x releases did not.) The sparse autoencoder of
// the Keras post puts l1(10e-5) on its code.
//
// With KL set it is a variational autoencoder's KL term instead: KL times
// the Sampling layer's divergence from N(0, I) (see SamplingLayer), per
// sample, averaged over the batch; KL = 1 is the Keras post's loss, other
// values a β-VAE's.
type Penalty struct {
	Layer  int // the index of the layer in the model; not the output layer
	L1, L2 float32
	KL     float32
}

// checkPenalties says what is wrong with the model's penalties, or "".
func (m *Model) checkPenalties() error {
	for _, p := range m.Penalties {
		switch {
		case p.Layer < 0 || p.Layer >= len(m.Layers) || p.Layer == len(m.Layers)-1 && (p.L1 != 0 || p.L2 != 0):
			return fmt.Errorf("nn: model %s: a penalty on layer %d: only the layers before the output can have one", m.Name, p.Layer)
		case !(p.L1 >= 0 && p.L2 >= 0 && p.KL >= 0):
			return fmt.Errorf("nn: model %s: a penalty's rates must be at least 0", m.Name)
		}
		if _, ok := m.Layers[p.Layer].(*SamplingLayer); p.KL != 0 && !ok {
			return fmt.Errorf("nn: model %s: a KL term on layer %d, which does not sample", m.Name, p.Layer)
		}
	}
	return nil
}

// penaltySum is the penalties' value on the last Forward's n samples in
// the loss's units: the Runner's losses are sums over every output element,
// which a trainer divides by the batch's samples times Model.LossSize, so
// the penalty is summed over the samples and multiplied by LossSize.
func (r *Runner) penaltySum(n int) float64 {
	s := r.KL(n)
	for _, p := range r.m.Penalties {
		if p.L1 == 0 && p.L2 == 0 {
			continue
		}
		a := r.acts[p.Layer+1][:n*r.m.Layers[p.Layer].OutputShape().Size()]
		var l1, l2 float64
		for _, v := range a {
			l1 += math.Abs(float64(v))
			l2 += float64(v) * float64(v)
		}
		s += float64(p.L1)*l1 + float64(p.L2)*l2
	}
	return s * float64(r.m.LossSize())
}

// KL is the KL terms' value on the last Forward's n samples, summed over
// them (0 for a model without): the part of Loss that is not the
// reconstruction's or an activity penalty's.
func (r *Runner) KL(n int) float64 {
	var s float64
	for _, p := range r.m.Penalties {
		if p.KL != 0 {
			s += float64(p.KL) * r.m.Layers[p.Layer].(*SamplingLayer).kl(r.state[p.Layer], n)
		}
	}
	return s
}

// klScale is the weight of layer i's KL terms in its Backward.
func (r *Runner) klScale(i int, scale float32) float32 {
	var k float32
	for _, p := range r.m.Penalties {
		if p.Layer == i {
			k += p.KL * scale * float32(r.m.LossSize())
		}
	}
	return k
}

// penaltyGrad adds the gradient of layer i's penalties, scaled as the
// loss's gradient is, to dy, the gradient with respect to the layer's
// output. |a| has gradient 0 at 0, as in TensorFlow and PyTorch (a ReLU
// code is often exactly 0).
func (r *Runner) penaltyGrad(i int, dy []float32, n int, scale float32) {
	for _, p := range r.m.Penalties {
		if p.Layer != i || p.L1 == 0 && p.L2 == 0 {
			continue
		}
		a := r.acts[i+1][:n*r.m.Layers[i].OutputShape().Size()]
		k := scale * float32(r.m.LossSize())
		k1, k2 := p.L1*k, 2*p.L2*k
		for j, v := range a {
			g := k2 * v
			if v > 0 {
				g += k1
			} else if v < 0 {
				g -= k1
			}
			dy[j] += g
		}
	}
}

// WithoutPenalties is m without its penalties: the same layers and weights
// (shared, not copied), for the loss of the reconstruction alone.
func (m *Model) WithoutPenalties() *Model {
	plain := *m
	plain.Penalties = nil
	return &plain
}
