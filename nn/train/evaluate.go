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
