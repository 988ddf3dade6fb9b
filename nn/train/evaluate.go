package train

import (
	"errors"

	"aeplay/nn"
)

// Evaluate returns the mean loss of m over every output element of ds, as
// Keras' evaluate (and fit's val_loss) report it, in batches of 256 on one
// core.
func Evaluate(m *nn.Model, ds Dataset, loss nn.Loss) (float64, error) {
	if ds.Len() == 0 {
		return 0, errors.New("train: nothing to evaluate: the data set is empty")
	}
	if err := ds.check(m, "evaluation"); err != nil {
		return 0, err
	}
	if loss == nil {
		loss = nn.BCE{}
	}
	r, err := NewReplica(m, Dataset{}, ds, Config{Loss: loss}, min(256, ds.Len()))
	if err != nil {
		return 0, err
	}
	idx := make([]int, r.MaxBatch())
	var total float64
	for lo := 0; lo < ds.Len(); lo += len(idx) {
		hi := min(lo+len(idx), ds.Len())
		for i := lo; i < hi; i++ {
			idx[i-lo] = i
		}
		total += r.Eval(idx[:hi-lo])
	}
	return total / float64(ds.Len()*m.Output().Size()), nil
}

// EvaluateReconstruction is Evaluate without the model's penalties: the
// loss of the reconstruction alone (a sparse model's val BCE beside its
// val_loss, which includes the penalty).
func EvaluateReconstruction(m *nn.Model, ds Dataset, loss nn.Loss) (float64, error) {
	return Evaluate(m.WithoutPenalties(), ds, loss)
}

// MeanCode is the mean of the code's values over the (clean or noisy)
// inputs of ds: the post's encoded_imgs.mean(), its measure of how sparse
// a code is.
func MeanCode(m *nn.Model, ds Dataset) (float64, error) {
	enc := m.Encoder()
	if enc == nil {
		return 0, errors.New("train: the model has no code")
	}
	if ds.Len() == 0 {
		return 0, errors.New("train: no data for the mean code")
	}
	if err := ds.check(m, "the mean code"); err != nil {
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
		for _, v := range r.Forward(hi - lo) {
			sum += float64(v)
		}
	}
	return sum / float64(ds.Len()*enc.Output().Size()), nil
}
