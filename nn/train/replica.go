package train

import "aeplay/nn"

// Replica is the far side of a Shard: a copy of a model, with its own
// nn.Runner and Adam, that computes gradients for the training samples it is
// sent and applies the steps it is given. It must start from the same
// weights as the Trainer's model (same seed, or same weights file).
type Replica struct {
	Model      *nn.Model
	rp         replica
	opt        *Adam
	loss       nn.Loss
	train, val Dataset
	views      [][]float32
}

// NewReplica prepares a replica of m for shares of at most maxBatch
// samples, with the loss and learning rate of cfg.
func NewReplica(m *nn.Model, train, val Dataset, cfg Config, maxBatch int) *Replica {
	if cfg.LR == 0 {
		cfg.LR = 0.001
	}
	if cfg.Loss == nil {
		cfg.Loss = nn.BCE{}
	}
	if cfg.NewKernel == nil {
		cfg.NewKernel = nn.NewKernel
	}
	r := &Replica{
		Model: m,
		rp:    replica{r: m.NewRunner(maxBatch, cfg.NewKernel()), target: make([]float32, maxBatch*m.Output().Size())},
		loss:  cfg.Loss, train: train, val: val,
	}
	r.opt = NewAdam(cfg.LR, r.rp.r.Kernel())
	return r
}

// Grads returns the loss sum and gradients (scaled by scale) of training
// samples idx, all in one slice in the order of the model's Params; it
// stays valid until the next call.
func (r *Replica) Grads(idx []int, scale float32) (float64, []float32) {
	r.rp.idx, r.rp.n = idx, len(idx)
	r.rp.grads(r.train, r.loss, scale)
	return r.rp.sum, r.rp.r.FlatGrads()
}

// Apply takes the Adam step of the summed gradients, given as one slice in
// the order of the model's Params.
func (r *Replica) Apply(flat []float32) {
	grads := r.rp.r.Grads() // reused as views of flat: the nn.Runner's own are not needed now
	if len(r.views) == 0 {
		r.views = make([][]float32, len(grads))
	}
	off := 0
	for i, g := range grads {
		r.views[i] = flat[off : off+len(g)]
		off += len(g)
	}
	r.opt.Step(r.Model.Params(), r.views)
}

// Eval returns the loss sum of validation samples idx.
func (r *Replica) Eval(idx []int) float64 {
	r.rp.idx, r.rp.n = idx, len(idx)
	r.rp.eval(r.val, r.loss)
	return r.rp.sum
}

// Train is the replica's training set.
func (r *Replica) Train() Dataset { return r.train }

// Val is the replica's validation set.
func (r *Replica) Val() Dataset { return r.val }

// MaxBatch is the largest share the replica takes.
func (r *Replica) MaxBatch() int { return r.rp.r.MaxBatch() }
