package worker

import (
	"errors"
	"fmt"

	"aeplay/nn/catalog"
	"aeplay/nn/train"
	"aeplay/wasm/protocol"
)

// Follower is a worker that trains as one of a leader's shards: it holds a
// replica of the model, built from the same seed, and answers the leader's
// requests for gradients, steps and validation losses.
type Follower struct {
	eng *Engine
	rep *train.Replica
	cfg protocol.TrainConfig
}

// Setup prepares a replica for the leader's run: the same model, seed and
// data sets, so that it starts from the leader's weights.
func (f *Follower) Setup(cfg protocol.TrainConfig) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	entry, err := catalog.Resolve(cfg.Model)
	if err != nil {
		return err
	}
	m, err := entry.New()
	if err != nil {
		return err
	}
	trainSet, val, err := f.eng.datasets(cfg, nil)
	if err != nil {
		return err
	}
	m.Init(uint64(cfg.Seed))
	per := (cfg.Batch + cfg.Workers - 1) / max(cfg.Workers, 1)
	if f.rep, err = train.NewReplica(m, trainSet, val, train.Config{LR: float32(cfg.LR), Loss: entry.Spec.LossFunc(), Seed: uint64(cfg.Seed)}, max(per, 1)); err != nil {
		return err
	}
	f.cfg = cfg
	return nil
}

// Grads computes a share of a batch; the gradients come in one slice.
func (f *Follower) Grads(idx []int, scale float32) (float64, []float32, error) {
	if f.rep == nil {
		return 0, nil, errors.New("follower: no run set up")
	}
	if err := f.checkIdx(idx, f.rep.Train().Len()); err != nil {
		return 0, nil, err
	}
	loss, g := f.rep.Grads(idx, scale)
	return loss, g, nil
}

// Apply takes the leader's step (the summed gradients, in one slice).
func (f *Follower) Apply(grads []float32) error {
	if f.rep == nil {
		return errors.New("follower: no run set up")
	}
	if len(grads) != f.rep.Model.NumParams() {
		return fmt.Errorf("follower: the step's %d gradients do not fit the model's %d parameters", len(grads), f.rep.Model.NumParams())
	}
	f.rep.Apply(grads)
	return nil
}

// Eval measures a share of the validation set.
func (f *Follower) Eval(idx []int) (float64, error) {
	if f.rep == nil {
		return 0, errors.New("follower: no run set up")
	}
	if err := f.checkIdx(idx, f.rep.Val().Len()); err != nil {
		return 0, err
	}
	return f.rep.Eval(idx), nil
}

func (f *Follower) checkIdx(idx []int, n int) error {
	if len(idx) > f.rep.MaxBatch() {
		return fmt.Errorf("follower: a share of %d samples is over its %d", len(idx), f.rep.MaxBatch())
	}
	for _, i := range idx {
		if i < 0 || i >= n {
			return fmt.Errorf("follower: sample %d does not exist (there are %d)", i, n)
		}
	}
	return nil
}
