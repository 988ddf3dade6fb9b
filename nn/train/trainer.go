package train

import (
	"aeplay/nn"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"
)

// Config is what Keras' compile and fit take, plus how to spread the
// work.
type Config struct {
	Epochs    int
	BatchSize int     // Keras' default is 32; the post uses 256
	LR        float32 // Adam's learning rate; 0 means Keras' 0.001
	Loss      nn.Loss // nil means binary cross-entropy
	Seed      uint64  // shuffling; weights are seeded by nn.Model.Init
	// Workers is how many goroutines share each batch (data-parallel, one
	// nn.Runner each); 0 means GOMAXPROCS, capped so each has 32 samples.
	Workers int
	// nn.NewKernel makes each worker's nn.Kernel; nil means nn.NewKernel.
	NewKernel func() nn.Kernel
	// Shards are replicas elsewhere (web workers) that take a share of
	// every batch, after the local workers' shares.
	Shards []Shard
}

// Shard is a copy of the model that lives elsewhere, in a web worker, and
// computes gradients on its share of each batch: data-parallel training
// without shared memory. Its far side is a Replica. The Trainer sums the
// gradients of its local workers and its shards in a fixed order, applies
// Adam, and sends every shard the same summed gradients, so that each
// applies the same step and the copies stay identical.
type Shard interface {
	// StartGrads asks for the loss sum and the gradients (scaled by scale)
	// of training samples idx, and returns at once.
	StartGrads(idx []int, scale float32)
	// WaitGrads returns them, all in one slice in the order of the model's
	// Params; the slice stays valid until the next call.
	WaitGrads() (lossSum float64, grads []float32, err error)
	// Apply gives the summed gradients of the step to take, in one slice.
	Apply(grads []float32) error
	// StartEval and WaitEval measure the loss sum of validation samples idx.
	StartEval(idx []int)
	WaitEval() (lossSum float64, err error)
}

// stepStarter is a Shard that takes a step and its share of the next batch
// in one message: it starts on the next batch as soon as it has applied
// the step, rather than when the leader, done with its own Adam step and
// bookkeeping, sends the next share.
type stepStarter interface {
	ApplyAndStart(grads []float32, idx []int, scale float32) error
}

// applyShards sends the shards the step's summed gradients, before the
// leader takes the step itself, so that they take it at the same time.
// Within an epoch, a shard that can (stepStarter) also gets its share of
// the batch at next, the next one.
func (t *Trainer) applyShards(flat []float32, next int) error {
	var scale float32
	if next < len(t.order) {
		nb := min(t.cfg.BatchSize, len(t.order)-next)
		t.assign(t.order[next : next+nb])
		scale = 1 / float32(nb*t.Model.Output().Size())
	}
	for i, sh := range t.shards {
		var err error
		if ss, ok := sh.(stepStarter); ok && next < len(t.order) && len(t.shardIdx[i]) > 0 {
			err = ss.ApplyAndStart(flat, t.shardIdx[i], scale)
			t.started[i] = err == nil
		} else {
			err = sh.Apply(flat)
		}
		if err != nil {
			return fmt.Errorf("a training worker failed: %w", err)
		}
	}
	return nil
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
	Model      *nn.Model
	cfg        Config
	train, val Dataset
	opt        *Adam
	loss       nn.Loss
	reps       []*replica
	rng        *rand.Rand
	order      []int
	epoch, pos int // epoch is 0-based; pos is the next sample of order
	batch      int // batches done this epoch
	lossSum    float64
	seen       int
	spent      time.Duration // training time this epoch, excluding validation
	history    []EpochInfo
	k          nn.Kernel // the leader's: sums, checks and Adam
	shards     []Shard
	shardIdx   [][]int // each shard's share of the current batch
	started    []bool  // shards already given their share of the current batch (see stepStarter)

	// What the workers run: method values bound once, and their arguments,
	// so that handing a shard to a worker allocates nothing.
	wg          sync.WaitGroup
	trainFn     func(*replica)
	evalFn      func(*replica)
	scale       float32
	evalSet     Dataset
	closeWorker sync.Once
}

// replica is one worker's share: a nn.Runner and its target buffer.
type replica struct {
	r      *nn.Runner
	target []float32
	idx    []int
	n      int
	sum    float64
	job    chan func(*replica) // nil for the first replica, which runs on the caller's goroutine
}

// New prepares to train m on train, validating on val after each
// epoch (val may be empty). The model's weights are used as they are: call
// Init first to train from scratch.
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
		return nil, fmt.Errorf("nn: epochs and batch size must be positive (got %d and %d)", cfg.Epochs, cfg.BatchSize)
	}
	if cfg.LR == 0 {
		cfg.LR = 0.001
	}
	if cfg.LR < 0 || math.IsNaN(float64(cfg.LR)) || math.IsInf(float64(cfg.LR), 0) {
		return nil, fmt.Errorf("nn: learning rate must be a positive number, got %v", cfg.LR)
	}
	if cfg.Loss == nil {
		cfg.Loss = nn.BCE{}
	}
	if cfg.NewKernel == nil {
		cfg.NewKernel = nn.NewKernel
	}
	batch := min(cfg.BatchSize, train.Len())
	w := cfg.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
		w = max(1, min(w, batch/32))
	}
	w = min(w, batch)
	t := &Trainer{Model: m, cfg: cfg, train: train, val: val, loss: cfg.Loss,
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x73687566)), order: make([]int, train.Len()), shards: cfg.Shards,
		started: make([]bool, len(cfg.Shards))}
	per := (batch + w + len(cfg.Shards) - 1) / (w + len(cfg.Shards))
	for i := 0; i < w; i++ {
		rp := &replica{r: m.NewRunner(per, cfg.NewKernel()), target: make([]float32, per*m.Output().Size())}
		if i > 0 {
			rp.job = make(chan func(*replica))
			go t.work(rp)
		}
		t.reps = append(t.reps, rp)
	}
	t.trainFn, t.evalFn = t.trainShard, t.evalShard
	t.k = t.reps[0].r.Kernel()
	t.opt = NewAdam(cfg.LR, t.k)
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

// Workers is how many share each batch: local Runners and shards.
func (t *Trainer) Workers() int { return len(t.reps) + len(t.shards) }

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
	nLocal := t.assign(idx)
	for i, sh := range t.shards {
		if len(t.shardIdx[i]) > 0 && !t.started[i] {
			sh.StartGrads(t.shardIdx[i], t.scale)
		}
		t.started[i] = false
	}
	t.runLocal(nLocal, t.trainFn)
	var sum float64
	for _, rp := range t.reps[:nLocal] {
		sum += rp.sum
	}
	grads := t.reduceGrads(nLocal)
	flat := t.reps[0].r.FlatGrads()
	for i, sh := range t.shards {
		if len(t.shardIdx[i]) == 0 {
			continue
		}
		loss, g, err := sh.WaitGrads()
		if err != nil {
			return bi, nil, fmt.Errorf("a training worker failed: %w", err)
		}
		sum += loss
		t.k.Add(flat, g)
	}
	if math.IsNaN(sum) || math.IsInf(sum, 0) || !t.k.Finite(flat) {
		return bi, nil, fmt.Errorf("%w: the loss became %v at epoch %d, batch %d; the weights are those from before that batch (try a lower learning rate)",
			ErrDiverged, sum/float64(b*outSize), t.epoch+1, t.batch+1)
	}
	if err := t.applyShards(flat, t.pos+b); err != nil {
		return bi, nil, err
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
		if e.ValLoss, err = t.evaluate(t.val); err != nil {
			return bi, nil, err
		}
	}
	t.history = append(t.history, e)
	t.epoch++
	t.pos, t.batch, t.lossSum, t.seen, t.spent = 0, 0, 0, 0, 0
	t.shuffle()
	return bi, &t.history[len(t.history)-1], nil
}

func (t *Trainer) trainShard(rp *replica) { rp.grads(t.train, t.loss, t.scale) }

func (t *Trainer) evalShard(rp *replica) { rp.eval(t.evalSet, t.loss) }

// grads computes the loss sum and gradients of the samples rp.idx of ds.
func (rp *replica) grads(ds Dataset, loss nn.Loss, scale float32) {
	r := rp.r
	ds.fill(rp.idx, r.Input(), rp.target, r.Kernel())
	rp.sum = r.ForwardBackward(loss, rp.target, rp.n, scale)
}

// eval computes the loss sum of the samples rp.idx of ds.
func (rp *replica) eval(ds Dataset, loss nn.Loss) {
	ds.fill(rp.idx, rp.r.Input(), rp.target, rp.r.Kernel())
	rp.r.Forward(rp.n)
	rp.sum = rp.r.Loss(loss, rp.target, rp.n)
}

// assign splits idx into equal contiguous parts, the local replicas' first
// and then the shards', and returns how many local replicas have work.
func (t *Trainer) assign(idx []int) (nLocal int) {
	per := t.reps[0].r.MaxBatch()
	part := func(p int) []int {
		lo, hi := min(p*per, len(idx)), min((p+1)*per, len(idx))
		return idx[lo:hi]
	}
	for i, rp := range t.reps {
		rp.idx = part(i)
		rp.n = len(rp.idx)
		if rp.n > 0 {
			nLocal = i + 1
		}
	}
	t.shardIdx = t.shardIdx[:0]
	for i := range t.shards {
		t.shardIdx = append(t.shardIdx, part(len(t.reps)+i))
	}
	return nLocal
}

// runLocal runs f on the first n replicas, the first on the calling
// goroutine.
func (t *Trainer) runLocal(n int, f func(*replica)) {
	t.wg.Add(n - 1)
	for _, rp := range t.reps[1:n] {
		rp.job <- f
	}
	f(t.reps[0])
	t.wg.Wait()
}

// reduceGrads adds the first n replicas' gradients into the first's.
func (t *Trainer) reduceGrads(n int) [][]float32 {
	flat := t.reps[0].r.FlatGrads()
	for _, rp := range t.reps[1:n] {
		t.k.Add(flat, rp.r.FlatGrads())
	}
	return t.reps[0].r.Grads()
}

// Evaluate returns the mean loss over every output element of ds, as
// Keras' evaluate (and fit's val_loss) report it; NaN if a shard fails.
func (t *Trainer) Evaluate(ds Dataset) float64 {
	v, err := t.evaluate(ds)
	if err != nil {
		return math.NaN()
	}
	return v
}

func (t *Trainer) evaluate(ds Dataset) (float64, error) {
	outSize := t.Model.Output().Size()
	per := t.reps[0].r.MaxBatch() * (len(t.reps) + len(t.shards))
	idx := make([]int, per)
	var total float64
	t.evalSet = ds
	for lo := 0; lo < ds.Len(); lo += per {
		hi := min(lo+per, ds.Len())
		for i := lo; i < hi; i++ {
			idx[i-lo] = i
		}
		nLocal := t.assign(idx[:hi-lo])
		for i, sh := range t.shards {
			if len(t.shardIdx[i]) > 0 {
				sh.StartEval(t.shardIdx[i])
			}
		}
		t.runLocal(nLocal, t.evalFn)
		for _, rp := range t.reps[:nLocal] {
			total += rp.sum
		}
		for i, sh := range t.shards {
			if len(t.shardIdx[i]) == 0 {
				continue
			}
			loss, err := sh.WaitEval()
			if err != nil {
				return math.NaN(), fmt.Errorf("a training worker failed: %w", err)
			}
			total += loss
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
