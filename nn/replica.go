package nn

// Replica is the far side of a Shard: a copy of a model, with its own
// Runner and Adam, that computes gradients for the training samples it is
// sent and applies the steps it is given. It must start from the same
// weights as the Trainer's model (same seed, or same weights file).
type Replica struct {
	Model      *Model
	rp         replica
	opt        *Adam
	loss       Loss
	train, val Dataset
}

// NewReplica prepares a replica of m for shares of at most maxBatch
// samples, with the loss and learning rate of cfg.
func NewReplica(m *Model, train, val Dataset, cfg TrainConfig, maxBatch int) *Replica {
	if cfg.LR == 0 {
		cfg.LR = 0.001
	}
	if cfg.Loss == nil {
		cfg.Loss = BCE{}
	}
	if cfg.NewKernel == nil {
		cfg.NewKernel = NewKernel
	}
	r := &Replica{
		Model: m,
		rp:    replica{r: m.NewRunner(maxBatch, cfg.NewKernel()), target: make([]float32, maxBatch*m.Output().Size())},
		opt:   NewAdam(cfg.LR), loss: cfg.Loss, train: train, val: val,
	}
	r.opt.vec = r.rp.r.ws.vector()
	return r
}

// Grads returns the loss sum and gradients (scaled by scale, ordered like
// the model's Params) of training samples idx; the gradients stay valid
// until the next call.
func (r *Replica) Grads(idx []int, scale float32) (float64, [][]float32) {
	r.rp.idx, r.rp.n = idx, len(idx)
	r.rp.grads(r.train, r.loss, scale)
	return r.rp.sum, r.rp.r.Grads()
}

// Apply takes the Adam step of the summed gradients.
func (r *Replica) Apply(grads [][]float32) { r.opt.Step(r.Model.Params(), grads) }

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
