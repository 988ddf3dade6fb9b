package train

import (
	"errors"

	"aeplay/nn"
)

// Evaluate returns the mean loss of m over every output element of ds, as
// Keras' evaluate (and fit's val_loss) report it, in batches of 256 on one
// core.
//
// A variational autoencoder's loss draws z, as Keras' does: the draws of
// a Trainer's first validation, before any step. EvaluateDraws averages
// other draws, EvaluateAtMean takes none.
func Evaluate(m *nn.Model, ds Dataset, loss nn.Loss) (float64, error) {
	return evaluate(m, ds, loss, 0, false)
}

// EvaluateDraws is Evaluate's loss averaged over draws draws of z (those
// of a run's validations after 0, 1, … steps; any model without a
// sampling layer gives the same loss for each).
func EvaluateDraws(m *nn.Model, ds Dataset, loss nn.Loss, draws int) (float64, error) {
	var sum float64
	for d := range draws {
		v, err := evaluate(m, ds, loss, uint64(d), false)
		if err != nil {
			return 0, err
		}
		sum += v
	}
	return sum / float64(max(draws, 1)), nil
}

// EvaluateAtMean is Evaluate with every sampling layer at its mean (ε =
// 0): a variational autoencoder's loss without its draws' noise, which
// another framework reproduces exactly.
func EvaluateAtMean(m *nn.Model, ds Dataset, loss nn.Loss) (float64, error) {
	return evaluate(m, ds, loss, 0, true)
}

// Reconstruction is the reconstruction's part of the Trainer's
// validation loss on ds now: EvaluateReconstruction on the draws of the
// Trainer's own validation (its seed, its steps so far), so that with the
// KL term (MeanKL) it adds up to the logged val_loss.
func (t *Trainer) Reconstruction(ds Dataset) (float64, error) {
	return evaluateOn(t.Model.WithoutPenalties(), ds, t.cfg.Loss, t.cfg.Seed, t.own.step, false)
}

func evaluate(m *nn.Model, ds Dataset, loss nn.Loss, step uint64, atMean bool) (float64, error) {
	return evaluateOn(m, ds, loss, 0, step, atMean)
}

func evaluateOn(m *nn.Model, ds Dataset, loss nn.Loss, seed, step uint64, atMean bool) (float64, error) {
	if ds.Len() == 0 {
		return 0, errors.New("train: nothing to evaluate: the data set is empty")
	}
	if err := ds.check(m, "evaluation"); err != nil {
		return 0, err
	}
	if loss == nil {
		loss = nn.BCE{}
	}
	r, err := NewReplica(m, Dataset{}, ds, Config{Loss: loss, Seed: seed}, min(256, ds.Len()))
	if err != nil {
		return 0, err
	}
	r.step, r.atMean = step, atMean
	idx := make([]int, r.MaxBatch())
	var total float64
	for lo := 0; lo < ds.Len(); lo += len(idx) {
		hi := min(lo+len(idx), ds.Len())
		for i := lo; i < hi; i++ {
			idx[i-lo] = i
		}
		total += r.Eval(idx[:hi-lo])
	}
	return total / float64(ds.Len()*m.LossSize()), nil
}

// EvaluateReconstruction is Evaluate without the model's penalties: the
// loss of the reconstruction alone (a sparse model's val BCE beside its
// val_loss, which includes the penalty).
// For a variational autoencoder it is the loss's reconstruction term, on
// Evaluate's draws, and in its units (784·BCE per digit).
func EvaluateReconstruction(m *nn.Model, ds Dataset, loss nn.Loss) (float64, error) {
	return Evaluate(m.WithoutPenalties(), ds, loss)
}

// EvaluatePerValue is the reconstruction's loss averaged over every value
// of ds, whatever the model's own loss (without penalties, not per
// sample): the measures models are compared by, squared error (the one
// PCA minimises) and BCE.
func EvaluatePerValue(m *nn.Model, ds Dataset, loss nn.Loss) (float64, error) {
	plain := m.WithoutPenalties()
	plain.PerSample = false
	return Evaluate(plain, ds, loss)
}

// MeanKL is a variational autoencoder's KL term averaged over the digits
// of ds (weighted as in its loss; it does not depend on the draws), 0 for
// a model without one.
func MeanKL(m *nn.Model, ds Dataset) (float64, error) {
	if !m.Samples() {
		return 0, nil
	}
	enc := m.Encoder()
	for _, p := range m.Penalties {
		if p.KL != 0 {
			enc.Penalties = append(enc.Penalties, nn.Penalty{Layer: p.Layer, KL: p.KL})
		}
	}
	sum, err := encodeEach(m, enc, ds, "the KL term", func(r *nn.Runner, n int) float64 { return r.KL(n) })
	return sum / float64(max(ds.Len(), 1)), err
}

// MeanCode is the mean of the code's values over the (clean or noisy)
// inputs of ds: the post's encoded_imgs.mean(), its measure of how sparse
// a code is.
func MeanCode(m *nn.Model, ds Dataset) (float64, error) {
	enc := m.Encoder()
	if enc == nil {
		return 0, errors.New("train: the model has no code")
	}
	sum, err := encodeEach(m, enc, ds, "the mean code", func(r *nn.Runner, n int) float64 {
		var s float64
		for _, v := range r.Output()[:n*enc.Output().Size()] {
			s += float64(v)
		}
		return s
	})
	return sum / float64(max(ds.Len()*enc.Output().Size(), 1)), err
}

// encodeEach runs the inputs of ds through m's encoder enc, 256 at a time
// on one core, and sums what measure makes of each batch.
func encodeEach(m, enc *nn.Model, ds Dataset, what string, measure func(r *nn.Runner, n int) float64) (float64, error) {
	if ds.Len() == 0 {
		return 0, errors.New("train: no data for " + what)
	}
	if err := ds.check(m, what); err != nil {
		return 0, err
	}
	cfg, err := Config{}.withDefaults()
	if err != nil {
		return 0, err
	}
	r := enc.NewRunner(min(256, ds.Len()), cfg.NewKernel())
	idx := make([]int, r.MaxBatch())
	var sum float64
	for lo := 0; lo < ds.Len(); lo += len(idx) {
		hi := min(lo+len(idx), ds.Len())
		for i := lo; i < hi; i++ {
			idx[i-lo] = i
		}
		ds.fill(idx[:hi-lo], r.Input(), nil, r.Kernel())
		r.Forward(hi - lo)
		sum += measure(r, hi-lo)
	}
	return sum, nil
}
