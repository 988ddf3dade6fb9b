package train

import "aeplay/nn"

// Replica is the far side of a Shard: a copy of a model, with its own
// Runner and Adam, that computes gradients for the training samples it is
// sent and applies the steps it is given. It must start from the same
// weights as the Trainer's model (same seed, or same weights file).
type Replica struct {
	Model      *nn.Model
	r          *nn.Runner
	target     []float32
	opt        *Adam
	loss       nn.Loss
	train, val Dataset
	views      [][]float32
	// A variational autoencoder's draws: sample i at step s draws from the
	// stream s<<32 | i of the run's seed (one seed for training, another
	// for validation), whichever replica computes it. Every replica applies
	// every step, so all count the same steps.
	samples bool
	seed    uint64
	step    uint64
	streams []uint64
	atMean  bool // no draws: each sampling layer outputs its mean
}

// The draws' seeds are the run's seed mixed with these, apart from the
// shuffle's and from each other.
const (
	trainDraws = 0x7472_6169_6e5f_6570 // "train_ep"
	valDraws   = 0x7661_6c5f_6570_7300 // "val_eps"
)

// NewReplica prepares a replica of m for shares of at most maxBatch
// samples, with the loss, learning rate and kernel of cfg.
func NewReplica(m *nn.Model, train, val Dataset, cfg Config, maxBatch int) (*Replica, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	r := m.NewRunner(maxBatch, cfg.NewKernel())
	rep := &Replica{Model: m, r: r, target: make([]float32, maxBatch*m.Output().Size()),
		opt: NewAdam(cfg.LR, r.Kernel()), loss: cfg.Loss, train: train, val: val,
		views: make([][]float32, len(m.Params())), samples: m.Samples(), seed: cfg.Seed}
	if rep.samples {
		rep.streams = make([]uint64, maxBatch)
	}
	rep.opt.init(m.Params()) // now, not in a shard's first step, which a caller may be timing
	return rep, nil
}

// Grads returns the loss sum and gradients (scaled by scale) of training
// samples idx, all in one slice in the order of the model's Params; it
// stays valid until the next call.
func (r *Replica) Grads(idx []int, scale float32) (float64, []float32) {
	r.train.fill(idx, r.r.Input(), r.target, r.r.Kernel())
	r.draw(idx, trainDraws)
	sum := r.r.ForwardBackward(r.loss, r.target, len(idx), scale)
	return sum, r.r.FlatGrads()
}

// Apply takes the Adam step of the summed gradients, given as one slice in
// the order of the model's Params.
func (r *Replica) Apply(flat []float32) {
	grads := r.r.Grads()
	off := 0
	for i, g := range grads {
		r.views[i] = flat[off : off+len(g)]
		off += len(g)
	}
	r.opt.Step(r.Model.Params(), r.views)
	r.step++
}

// draw sets the sampling layers' streams for samples idx.
func (r *Replica) draw(idx []int, seed uint64) {
	if !r.samples {
		return
	}
	if r.atMean {
		r.r.Sample(0, nil)
		return
	}
	for j, i := range idx {
		r.streams[j] = r.step<<32 | uint64(i)
	}
	r.r.Sample(r.seed^seed, r.streams)
}

// Eval returns the loss sum of validation samples idx.
func (r *Replica) Eval(idx []int) float64 { return r.evalOn(r.val, idx) }

func (r *Replica) evalOn(ds Dataset, idx []int) float64 {
	ds.fill(idx, r.r.Input(), r.target, r.r.Kernel())
	r.draw(idx, valDraws)
	r.r.Forward(len(idx))
	return r.r.Loss(r.loss, r.target, len(idx))
}

// Train is the replica's training set.
func (r *Replica) Train() Dataset { return r.train }

// Val is the replica's validation set.
func (r *Replica) Val() Dataset { return r.val }

// MaxBatch is the largest share the replica takes.
func (r *Replica) MaxBatch() int { return r.r.MaxBatch() }
