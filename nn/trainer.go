package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"
)

// TrainConfig is what Keras' compile and fit take, plus how to spread the
// work.
type TrainConfig struct {
	Epochs    int
	BatchSize int     // Keras' default is 32; the post uses 256
	LR        float32 // Adam's learning rate; 0 means Keras' 0.001
	Loss      Loss    // nil means binary cross-entropy
	Seed      uint64  // shuffling; weights are seeded by Model.Init
	// Workers is how many goroutines share each batch (data-parallel, one
	// Runner each); 0 means GOMAXPROCS, capped so each has 32 samples.
	Workers int
	// NewKernel makes each worker's Kernel; nil means NewKernel.
	NewKernel func() Kernel
}

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

// ErrDiverged is returned when a batch's loss or gradients are not finite.
// The weights are those from before that batch.
var ErrDiverged = errors.New("nn: training diverged")

// Trainer trains a model batch by batch, so that a caller that must return
// to an event loop (a web worker) can run a few batches at a time; Fit runs
// it to the end.
type Trainer struct {
	Model      *Model
	cfg        TrainConfig
	train, val Dataset
	opt        *Adam
	loss       Loss
	reps       []*replica
	rng        *rand.Rand
	order      []int
	epoch, pos int // epoch is 0-based; pos is the next sample of order
	batch      int // batches done this epoch
	lossSum    float64
	seen       int
	spent      time.Duration // training time this epoch, excluding validation
	history    []EpochInfo

	// What the workers run: method values bound once, and their arguments,
	// so that handing a shard to a worker allocates nothing.
	wg          sync.WaitGroup
	trainFn     func(*replica)
	evalFn      func(*replica)
	scale       float32
	evalSet     Dataset
	closeWorker sync.Once
}

// replica is one worker's share: a Runner and its target buffer.
type replica struct {
	r      *Runner
	target []float32
	idx    []int
	n      int
	sum    float64
	job    chan func(*replica) // nil for the first replica, which runs on the caller's goroutine
}

// NewTrainer prepares to train m on train, validating on val after each
// epoch (val may be empty). The model's weights are used as they are: call
// Init first to train from scratch.
func NewTrainer(m *Model, train, val Dataset, cfg TrainConfig) (*Trainer, error) {
	if err := train.check(m, "training"); err != nil {
		return nil, err
	}
	if val.Len() > 0 {
		if err := val.check(m, "validation"); err != nil {
			return nil, err
		}
	}
	if cfg.Epochs <= 0 || cfg.BatchSize <= 0 {
		return nil, fmt.Errorf("nn: epochs and batch size must be positive (got %d and %d)", cfg.Epochs, cfg.BatchSize)
	}
	if cfg.LR == 0 {
		cfg.LR = 0.001
	}
	if cfg.LR < 0 || math.IsNaN(float64(cfg.LR)) || math.IsInf(float64(cfg.LR), 0) {
		return nil, fmt.Errorf("nn: learning rate must be a positive number, got %v", cfg.LR)
	}
	if cfg.Loss == nil {
		cfg.Loss = BCE{}
	}
	if cfg.NewKernel == nil {
		cfg.NewKernel = NewKernel
	}
	batch := min(cfg.BatchSize, train.Len())
	w := cfg.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
		w = max(1, min(w, batch/32))
	}
	w = min(w, batch)
	t := &Trainer{Model: m, cfg: cfg, train: train, val: val, opt: NewAdam(cfg.LR), loss: cfg.Loss,
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x73687566)), order: make([]int, train.Len())}
	per := (batch + w - 1) / w
	for i := 0; i < w; i++ {
		rp := &replica{r: m.NewRunner(per, cfg.NewKernel()), target: make([]float32, per*m.Output().Size())}
		if i > 0 {
			rp.job = make(chan func(*replica))
			go t.work(rp)
		}
		t.reps = append(t.reps, rp)
	}
	t.trainFn, t.evalFn = t.trainShard, t.evalShard
	for i := range t.order {
		t.order[i] = i
	}
	t.shuffle()
	return t, nil
}

func (t *Trainer) work(rp *replica) {
	for f := range rp.job {
		f(rp)
		t.wg.Done()
	}
}

// Close stops the Trainer's worker goroutines. It is safe to call more than
// once; the Trainer cannot step afterwards.
func (t *Trainer) Close() {
	t.closeWorker.Do(func() {
		for _, rp := range t.reps[1:] {
			close(rp.job)
		}
	})
}

func (t *Trainer) shuffle() {
	t.rng.Shuffle(len(t.order), func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
}

// Workers is how many Runners share each batch.
func (t *Trainer) Workers() int { return len(t.reps) }

// Done reports whether every epoch has run.
func (t *Trainer) Done() bool { return t.epoch >= t.cfg.Epochs }

// History is the log of finished epochs.
func (t *Trainer) History() []EpochInfo { return t.history }

// BatchesPerEpoch is ceil(training samples / batch size).
func (t *Trainer) BatchesPerEpoch() int {
	return (t.train.Len() + t.cfg.BatchSize - 1) / t.cfg.BatchSize
}

// Step trains one batch. At the end of an epoch it also validates, and ep
// is that epoch's log line (nil otherwise).
func (t *Trainer) Step() (bi BatchInfo, ep *EpochInfo, err error) {
	if t.Done() {
		return bi, nil, errors.New("nn: training is finished")
	}
	start := time.Now()
	b := min(t.cfg.BatchSize, len(t.order)-t.pos)
	idx := t.order[t.pos : t.pos+b]
	outSize := t.Model.Output().Size()
	t.scale = 1 / float32(b*outSize)
	t.parallel(idx, t.trainFn)
	var sum float64
	for _, rp := range t.reps[:t.active(b)] {
		sum += rp.sum
	}
	grads := t.reduceGrads(b)
	if math.IsNaN(sum) || math.IsInf(sum, 0) || !finite(grads) {
		return bi, nil, fmt.Errorf("%w: the loss became %v at epoch %d, batch %d; the weights are those from before that batch (try a lower learning rate)",
			ErrDiverged, sum/float64(b*outSize), t.epoch+1, t.batch+1)
	}
	t.opt.Step(t.Model.Params(), grads)
	t.pos += b
	t.batch++
	t.lossSum += sum
	t.seen += b
	t.spent += time.Since(start)
	bi = BatchInfo{Epoch: t.epoch + 1, Epochs: t.cfg.Epochs, Batch: t.batch, Batches: t.BatchesPerEpoch(),
		Loss: t.lossSum / float64(t.seen*outSize), BatchLoss: sum / float64(b*outSize), Seen: t.seen,
		SamplesPerSec: float64(t.seen) / t.spent.Seconds(), Elapsed: t.spent}
	if t.pos < len(t.order) {
		return bi, nil, nil
	}
	e := EpochInfo{Epoch: t.epoch + 1, Epochs: t.cfg.Epochs, Loss: bi.Loss, ValLoss: math.NaN(),
		Duration: t.spent, SamplesPerSec: bi.SamplesPerSec}
	if t.val.Len() > 0 {
		e.ValLoss = t.Evaluate(t.val)
	}
	t.history = append(t.history, e)
	t.epoch++
	t.pos, t.batch, t.lossSum, t.seen, t.spent = 0, 0, 0, 0, 0
	t.shuffle()
	return bi, &t.history[len(t.history)-1], nil
}

func (t *Trainer) trainShard(rp *replica) {
	r := rp.r
	t.train.Fill(rp.idx, r.Input(), rp.target)
	r.Forward(rp.n)
	rp.sum = r.Loss(t.loss, rp.target, rp.n)
	r.Backward(t.loss, rp.target, rp.n, t.scale)
}

func (t *Trainer) evalShard(rp *replica) {
	t.evalSet.Fill(rp.idx, rp.r.Input(), rp.target)
	rp.r.Forward(rp.n)
	rp.sum = rp.r.Loss(t.loss, rp.target, rp.n)
}

// active is how many replicas a batch of b samples keeps busy.
func (t *Trainer) active(b int) int {
	per := t.reps[0].r.MaxBatch()
	return (b + per - 1) / per
}

// parallel splits idx into contiguous shards, one per replica, and runs f
// on each, the first on the calling goroutine.
func (t *Trainer) parallel(idx []int, f func(*replica)) {
	per := t.reps[0].r.MaxBatch()
	n := t.active(len(idx))
	for i := 0; i < n; i++ {
		rp := t.reps[i]
		lo, hi := i*per, min((i+1)*per, len(idx))
		rp.idx, rp.n = idx[lo:hi], hi-lo
	}
	t.wg.Add(n - 1)
	for _, rp := range t.reps[1:n] {
		rp.job <- f
	}
	f(t.reps[0])
	t.wg.Wait()
}

// reduceGrads adds every active replica's gradients into the first's.
func (t *Trainer) reduceGrads(b int) [][]float32 {
	grads := t.reps[0].r.Grads()
	for _, rp := range t.reps[1:t.active(b)] {
		for i, g := range rp.r.Grads() {
			dst := grads[i]
			for j, v := range g {
				dst[j] += v
			}
		}
	}
	return grads
}

func finite(grads [][]float32) bool {
	var s float32
	for _, g := range grads {
		for _, v := range g {
			s += v * 0 // NaN or ±Inf anywhere makes s NaN
		}
	}
	return s == 0
}

// Evaluate returns the mean loss over every output element of ds, as
// Keras' evaluate (and fit's val_loss) report it.
func (t *Trainer) Evaluate(ds Dataset) float64 {
	outSize := t.Model.Output().Size()
	per := t.reps[0].r.MaxBatch() * len(t.reps)
	idx := make([]int, per)
	var total float64
	for lo := 0; lo < ds.Len(); lo += per {
		hi := min(lo+per, ds.Len())
		for i := lo; i < hi; i++ {
			idx[i-lo] = i
		}
		t.evalSet = ds
		t.parallel(idx[:hi-lo], t.evalFn)
		for _, rp := range t.reps[:t.active(hi-lo)] {
			total += rp.sum
		}
	}
	return total / float64(ds.Len()*outSize)
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
