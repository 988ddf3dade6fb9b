package worker

import (
	"errors"
	"time"

	"aeplay/nn/train"
	"aeplay/wasm/protocol"
)

// calibrationSteps and calibrationBudget bound a count's measurement: at
// least this many timed steps, and about this long, after one untimed
// warm-up step.
const (
	calibrationSteps  = 3
	calibrationBudget = 700 * time.Millisecond
)

// MeasureSteps times a few training steps of a run like cfg with the
// shards set (SetShards) on a throwaway model: the model on show, its
// weights and any run are left alone. It returns samples/s.
func (e *Engine) MeasureSteps(cfg protocol.TrainConfig, progress func(protocol.Download)) (float64, error) {
	if e.model == nil {
		return 0, errors.New("no model loaded yet")
	}
	cfg.ValSamples = 0
	trainSet, _, err := e.datasets(cfg, progress)
	if err != nil {
		return 0, err
	}
	m, err := e.entry.New()
	if err != nil {
		return 0, err
	}
	m.Init(uint64(cfg.Seed))
	tr, err := train.New(m, trainSet, train.Dataset{}, train.Config{Epochs: 1 << 20, BatchSize: cfg.Batch, LR: float32(cfg.LR),
		Seed: uint64(cfg.Seed), Workers: 1, Shards: e.shards, Loss: e.entry.Spec.LossFunc()})
	if err != nil {
		return 0, err
	}
	defer tr.Close()
	samples, seen := 0, 0
	step := func() error {
		bi, _, err := tr.Step()
		if bi.Seen < seen { // a new epoch
			seen = 0
		}
		samples += bi.Seen - seen // the epoch's last batch may be short
		seen = bi.Seen
		return err
	}
	if err := step(); err != nil {
		return 0, err
	}
	n, t0 := 0, time.Now()
	samples = 0
	for n < calibrationSteps || time.Since(t0) < calibrationBudget {
		if err := step(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(samples) / time.Since(t0).Seconds(), nil
}
