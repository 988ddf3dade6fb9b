package train

// Shard is a replica of the model that computes the gradients of its share
// of each batch: data-parallel training without shared memory. Its far
// side is a Replica, in a goroutine (a local worker, see localShard) or in
// a web worker (reached by messages). The Trainer sums the gradients of
// its own share and of every shard in a fixed order, applies Adam, and
// sends every shard the same summed gradients, so that each takes the same
// step and the replicas stay identical.
type Shard interface {
	// StartGrads asks for the loss sum and the gradients (scaled by scale)
	// of training samples idx, and returns at once.
	StartGrads(idx []int, scale float32)
	// WaitGrads returns them, all in one slice in the order of the model's
	// Params; the slice stays valid until the next call.
	WaitGrads() (lossSum float64, grads []float32, err error)
	// Apply gives the summed gradients of the step to take, in one slice,
	// which the shard must not keep. With next it also starts on the
	// samples next (gradients scaled by scale), as StartGrads would, as
	// soon as it has taken the step: the replica need not wait for the
	// leader to finish its own step and send the next share.
	Apply(grads []float32, next []int, scale float32) error
	// StartEval and WaitEval measure the loss sum of validation samples idx.
	StartEval(idx []int)
	WaitEval() (lossSum float64, err error)
}

// localShard is a Shard over a Replica in its own goroutine: how the
// Trainer uses more than one core. Requests are values on a channel, so a
// step allocates nothing.
type localShard struct {
	rep  *Replica
	req  chan shardReq
	done chan struct{}
	loss float64
	// step is the step to apply, copied (the leader reuses its buffer while
	// the replica may still be reading); free holds a token while it may be
	// overwritten. A shard without a share of a batch takes its step with
	// nobody waiting for it, so the next step may come before it is done.
	step  []float32
	free  chan struct{}
	grads []float32
}

type shardReq struct {
	grads, eval, apply bool
	idx                []int
	scale              float32
}

func newLocalShard(rep *Replica) *localShard {
	s := &localShard{rep: rep, req: make(chan shardReq, 2), done: make(chan struct{}, 1),
		step: make([]float32, rep.Model.NumParams()), free: make(chan struct{}, 1)}
	s.free <- struct{}{}
	go s.serve()
	return s
}

func (s *localShard) serve() {
	for r := range s.req {
		if r.apply {
			s.rep.Apply(s.step)
			s.free <- struct{}{}
		}
		switch {
		case r.grads:
			s.loss, s.grads = s.rep.Grads(r.idx, r.scale)
			s.done <- struct{}{}
		case r.eval:
			s.loss = s.rep.Eval(r.idx)
			s.done <- struct{}{}
		}
	}
}

func (s *localShard) StartGrads(idx []int, scale float32) {
	s.req <- shardReq{grads: true, idx: idx, scale: scale}
}

func (s *localShard) WaitGrads() (float64, []float32, error) {
	<-s.done
	return s.loss, s.grads, nil
}

func (s *localShard) Apply(grads []float32, next []int, scale float32) error {
	<-s.free
	copy(s.step, grads)
	s.req <- shardReq{apply: true, grads: next != nil, idx: next, scale: scale}
	return nil
}

func (s *localShard) StartEval(idx []int) { s.req <- shardReq{eval: true, idx: idx} }

func (s *localShard) WaitEval() (float64, error) {
	<-s.done
	return s.loss, nil
}

func (s *localShard) close() { close(s.req) }
