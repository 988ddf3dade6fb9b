package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"aeplay/nn"
)

// BatchInfo is what a progress callback learns after each batch.
type BatchInfo struct {
	Epoch, Epochs  int     // 1-based
	Batch, Batches int     // 1-based, within the epoch
	Loss           float64 // running mean over the epoch so far, as Keras' progress bar shows
	BatchLoss      float64
	Seen           int // samples so far this epoch
	SamplesPerSec  float64
	Elapsed        time.Duration // this epoch so far
}

// EpochInfo is one line of Keras' fit log.
type EpochInfo struct {
	Epoch, Epochs int
	Loss          float64 // mean training loss over the epoch, weighted by batch size
	ValLoss       float64 // over the whole validation set; NaN without one
	Duration      time.Duration
	SamplesPerSec float64
}

// ErrDiverged is returned (wrapped, with the epoch and batch) when a
// batch's loss or gradients are not finite. The weights are those from
// before that batch.
var ErrDiverged = errors.New("training diverged")

// Trainer trains a model batch by batch, so that a caller that must return
// to an event loop (a web worker) can run a few batches at a time; Fit runs
// it to the end. Each batch is split into equal parts: the first is the
// Trainer's own, computed on the calling goroutine with the model's
// weights, the others go to shards, replicas of the model that compute
// their gradients elsewhere (local ones in goroutines, then cfg.Shards).
// There is one path for all of them.
type Trainer struct {
	Model      *nn.Model
	cfg        Config
	train, val Dataset
	opt        *Adam
	own        *Replica      // the leader's share, on Model itself
	local      []*localShard // shards this Trainer started, to close
	shards     []Shard       // local, then cfg.Shards
	shardIdx   [][]int       // each shard's share of the current batch
	started    []bool        // shards already given their share of the current batch (with the last step)
	rng        *rand.Rand
	order      []int
	epoch, pos int // epoch is 0-based; pos is the next sample of order
	batch      int // batches done this epoch
	lossSum    float64
	seen       int
	spent      time.Duration // training time this epoch, excluding validation
	history    []EpochInfo
	evalIdx    []int
}

// New prepares to train m on train, validating on val after each epoch
// (val may be empty). The model's weights are used as they are: call Init
// first to train from scratch.
func New(m *nn.Model, train, val Dataset, cfg Config) (*Trainer, error) {
	if err := train.check(m, "training"); err != nil {
		return nil, err
	}
	if val.Len() > 0 {
		if err := val.check(m, "validation"); err != nil {
			return nil, err
		}
	}
	if cfg.Epochs <= 0 || cfg.BatchSize <= 0 {
		return nil, fmt.Errorf("train: epochs and batch size must be positive (got %d and %d)", cfg.Epochs, cfg.BatchSize)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	batch := min(cfg.BatchSize, train.Len())
	w := cfg.Workers
	if w <= 0 {
		w = max(1, min(runtime.GOMAXPROCS(0), batch/32))
	}
	w = min(w, batch)
	per := (batch + w + len(cfg.Shards) - 1) / (w + len(cfg.Shards))
	t := &Trainer{Model: m, cfg: cfg, train: train, val: val,
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x73687566)), order: make([]int, train.Len())}
	if t.own, err = NewReplica(m, train, val, cfg, per); err != nil {
		return nil, err
	}
	t.opt = t.own.opt
	for i := 1; i < w; i++ {
		rep, err := NewReplica(m.Clone(), train, val, cfg, per)
		if err != nil {
			return nil, err
		}
		s := newLocalShard(rep)
		t.local = append(t.local, s)
		t.shards = append(t.shards, s)
	}
	t.shards = append(t.shards, cfg.Shards...)
	t.started = make([]bool, len(t.shards))
	for i := range t.order {
		t.order[i] = i
	}
	t.shuffle()
	return t, nil
}

// Close stops the Trainer's goroutines. It is safe to call more than once;
// the Trainer cannot step afterwards.
func (t *Trainer) Close() {
	for _, s := range t.local {
		s.close()
	}
	t.local = nil
}

func (t *Trainer) shuffle() {
	t.rng.Shuffle(len(t.order), func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
}

// Workers is how many share each batch: the Trainer and its shards.
func (t *Trainer) Workers() int { return 1 + len(t.shards) }

// Kernel names the kernel the Trainer's own share runs on.
func (t *Trainer) Kernel() string { return t.own.r.Kernel().Name() }

// Done reports whether every epoch has run.
func (t *Trainer) Done() bool { return t.epoch >= t.cfg.Epochs }

// History is the log of finished epochs.
func (t *Trainer) History() []EpochInfo { return t.history }

// BatchesPerEpoch is ceil(training samples / batch size).
func (t *Trainer) BatchesPerEpoch() int {
	return (t.train.Len() + t.cfg.BatchSize - 1) / t.cfg.BatchSize
}

// Step trains one batch. At the end of an epoch it also validates, and ep
// is that epoch's log line (nil otherwise). On an error, bi says which
// epoch and batch failed.
func (t *Trainer) Step() (bi BatchInfo, ep *EpochInfo, err error) {
	if t.Done() {
		return bi, nil, errors.New("train: training is finished")
	}
	start := time.Now()
	b := min(t.cfg.BatchSize, len(t.order)-t.pos)
	idx := t.order[t.pos : t.pos+b]
	outSize := t.Model.LossSize()
	scale := 1 / float32(b*outSize)
	bi = BatchInfo{Epoch: t.epoch + 1, Epochs: t.cfg.Epochs, Batch: t.batch + 1, Batches: t.BatchesPerEpoch()}
	own := t.assign(idx)
	for i, sh := range t.shards {
		if len(t.shardIdx[i]) > 0 && !t.started[i] {
			sh.StartGrads(t.shardIdx[i], scale)
		}
		t.started[i] = false
	}
	var sum float64
	if len(own) > 0 {
		sum, _ = t.own.Grads(own, scale)
	}
	k := t.own.r.Kernel()
	flat := t.own.r.FlatGrads()
	var failed error
	for i, sh := range t.shards {
		if len(t.shardIdx[i]) == 0 {
			continue
		}
		loss, g, err := sh.WaitGrads()
		if err != nil {
			failed = fmt.Errorf("a training worker failed: %w", err)
			continue // the others' answers are still to be collected
		}
		sum += loss
		k.Add(flat, g)
	}
	if failed != nil {
		return bi, nil, failed
	}
	if math.IsNaN(sum) || math.IsInf(sum, 0) || !k.Finite(flat) {
		return bi, nil, fmt.Errorf("%w: the loss became %v at epoch %d, batch %d; the weights are those from before that batch (try a lower learning rate)",
			ErrDiverged, sum/float64(b*outSize), bi.Epoch, bi.Batch)
	}
	if err := t.applyShards(flat, t.pos+b); err != nil {
		return bi, nil, err
	}
	t.own.Apply(flat)
	t.pos += b
	t.batch++
	t.lossSum += sum
	t.seen += b
	t.spent += time.Since(start)
	bi.Loss, bi.BatchLoss, bi.Seen = t.lossSum/float64(t.seen*outSize), sum/float64(b*outSize), t.seen
	bi.SamplesPerSec, bi.Elapsed = float64(t.seen)/t.spent.Seconds(), t.spent
	if t.pos < len(t.order) {
		return bi, nil, nil
	}
	e := EpochInfo{Epoch: t.epoch + 1, Epochs: t.cfg.Epochs, Loss: bi.Loss, ValLoss: math.NaN(),
		Duration: t.spent, SamplesPerSec: bi.SamplesPerSec}
	if t.val.Len() > 0 {
		if e.ValLoss, err = t.Evaluate(t.val); err != nil {
			return bi, nil, err
		}
	}
	t.history = append(t.history, e)
	t.epoch++
	t.pos, t.batch, t.lossSum, t.seen, t.spent = 0, 0, 0, 0, 0
	t.shuffle()
	return bi, &t.history[len(t.history)-1], nil
}

// applyShards sends every shard the step's summed gradients, before the
// Trainer takes the step itself, so that they take it at the same time.
// Within an epoch each shard also gets its share of the batch at next.
func (t *Trainer) applyShards(flat []float32, next int) error {
	var scale float32
	more := next < len(t.order)
	if more {
		nb := min(t.cfg.BatchSize, len(t.order)-next)
		t.assign(t.order[next : next+nb])
		scale = 1 / float32(nb*t.Model.LossSize())
	}
	var failed error
	for i, sh := range t.shards {
		var share []int
		if more && len(t.shardIdx[i]) > 0 {
			share = t.shardIdx[i]
		}
		if err := sh.Apply(flat, share, scale); err != nil && failed == nil {
			failed = fmt.Errorf("a training worker failed: %w", err)
		}
		t.started[i] = share != nil
	}
	return failed
}

// assign splits idx into equal contiguous parts, the Trainer's own first
// and then the shards', and returns its own.
func (t *Trainer) assign(idx []int) (own []int) {
	per := t.own.MaxBatch()
	part := func(p int) []int {
		lo, hi := min(p*per, len(idx)), min((p+1)*per, len(idx))
		return idx[lo:hi]
	}
	t.shardIdx = t.shardIdx[:0]
	for i := range t.shards {
		t.shardIdx = append(t.shardIdx, part(1+i))
	}
	return part(0)
}

// Evaluate returns the mean loss over every output element of ds (over
// every sample for a loss per sample), as Keras' evaluate (and fit's
// val_loss) report it, shared among the
// Trainer and its shards like a batch. ds must be the validation set the
// shards were given (or have it as a prefix).
func (t *Trainer) Evaluate(ds Dataset) (float64, error) {
	outSize := t.Model.LossSize()
	per := t.own.MaxBatch() * t.Workers()
	if len(t.evalIdx) < per {
		t.evalIdx = make([]int, per)
	}
	var total float64
	for lo := 0; lo < ds.Len(); lo += per {
		hi := min(lo+per, ds.Len())
		for i := lo; i < hi; i++ {
			t.evalIdx[i-lo] = i
		}
		own := t.assign(t.evalIdx[:hi-lo])
		for i, sh := range t.shards {
			if len(t.shardIdx[i]) > 0 {
				sh.StartEval(t.shardIdx[i])
			}
		}
		if len(own) > 0 {
			total += t.own.evalOn(ds, own)
		}
		var failed error
		for i, sh := range t.shards {
			if len(t.shardIdx[i]) == 0 {
				continue
			}
			loss, err := sh.WaitEval()
			if err != nil {
				failed = fmt.Errorf("a training worker failed: %w", err)
				continue
			}
			total += loss
		}
		if failed != nil {
			return math.NaN(), failed
		}
	}
	return total / float64(ds.Len()*outSize), nil
}

// Fit trains until every epoch has run, ctx is cancelled (the error is then
// ctx's), a callback returns false, or the loss diverges. onBatch and
// onEpoch may be nil.
func (t *Trainer) Fit(ctx context.Context, onBatch func(BatchInfo) bool, onEpoch func(EpochInfo) bool) ([]EpochInfo, error) {
	for !t.Done() {
		if err := ctx.Err(); err != nil {
			return t.history, err
		}
		bi, ep, err := t.Step()
		if err != nil {
			return t.history, err
		}
		if onBatch != nil && !onBatch(bi) {
			return t.history, nil
		}
		if ep != nil && onEpoch != nil && !onEpoch(*ep) {
			return t.history, nil
		}
	}
	return t.history, nil
}
