package nn

// Runner runs a model forward and backward over batches of up to a fixed
// size. It owns every buffer that depends on the batch (activations, their
// gradients, parameter gradients, scratch), allocated once, so a training
// loop that reuses a Runner does not allocate. Runners share the model's
// weights: several can work on shards of one batch at the same time, each
// from its own goroutine (or web worker).
type Runner struct {
	m     *Model
	max   int
	acts  [][]float32 // acts[0] is the input, acts[i+1] the output of layer i
	delta [2][]float32
	grads [][]float32 // views of flat, one per parameter
	flat  []float32   // all the gradients, contiguous: one copy to send, one call to sum
	np    []int       // parameters per layer
	ws    Workspace
	state [][]float32 // each stateful layer's memory of the batch; nil for the others
	cache [][]float32 // each cached layer's transformed weights; nil for the others
	// reuse: the weights have not changed since the cached layers last ran
	// (within one ForwardBackward).
	reuse bool
	// seed and streams are the draws of the sampling layers (Sample);
	// nil streams: no draw, each outputs its mean.
	seed    uint64
	streams []uint64
	// chunk is how many samples ForwardBackward takes through every layer
	// at a time (see chunkSize).
	chunk int
}

// chunkTarget is the size, in floats, of the activations ForwardBackward
// aims to keep in cache: a batch whose activations are larger (a
// convolutional model's) goes forward and back in chunks of samples that
// fit, rather than each layer streaming the whole batch through memory.
const chunkTarget = 1 << 18

// chunkSize is how many samples ForwardBackward takes at a time: as many
// as fit chunkTarget, at least 8, where the kernel's Tuning asks for
// chunks; but all of them for a model whose activations are vectors, not
// images (64 samples fit: its GEMMs want the rows more than the cache), or
// that has penalties or layers with memory of the batch (which see it
// whole).
func (r *Runner) chunkSize() int {
	if !r.ws.Kernel.Tuning().Chunks {
		return r.max
	}
	floats := r.m.Input.Size()
	for i, l := range r.m.Layers {
		if r.state[i] != nil {
			return r.max
		}
		floats += l.OutputShape().Size()
	}
	c := chunkTarget / floats
	if len(r.m.Penalties) > 0 || c >= 64 {
		return r.max
	}
	return min(r.max, max(8, c))
}

// NewRunner returns a Runner for batches of at most maxBatch samples whose
// layers multiply with kernel k.
func (m *Model) NewRunner(maxBatch int, k Kernel) *Runner {
	if maxBatch <= 0 {
		panic("nn: NewRunner: batch size must be positive")
	}
	if err := m.checkPenalties(); err != nil {
		panic(err.Error())
	}
	r := &Runner{m: m, max: maxBatch, ws: Workspace{Kernel: k}}
	r.acts = append(r.acts, make([]float32, maxBatch*m.Input.Size()))
	largest, scratch := m.Input.Size(), 0
	for _, l := range m.Layers {
		r.np = append(r.np, len(l.Params()))
		r.acts = append(r.acts, make([]float32, maxBatch*l.OutputShape().Size()))
		largest = max(largest, l.OutputShape().Size())
		scratch = max(scratch, l.scratch(maxBatch))
		var st []float32
		if s, ok := l.(stateful); ok {
			st = make([]float32, s.stateSize(maxBatch))
		}
		r.state = append(r.state, st)
		var c []float32
		if cl, ok := l.(cached); ok && cl.cacheSize(k.Tuning()) > 0 {
			c = make([]float32, cl.cacheSize(k.Tuning()))
		}
		r.cache = append(r.cache, c)
	}
	r.delta[0] = make([]float32, maxBatch*largest)
	r.delta[1] = make([]float32, maxBatch*largest)
	r.flat = make([]float32, m.NumParams())
	off := 0
	for _, p := range m.params {
		r.grads = append(r.grads, r.flat[off:off+p.Size():off+p.Size()])
		off += p.Size()
	}
	r.ws.floats(scratch)
	r.chunk = r.chunkSize()
	return r
}

// MaxBatch is the largest batch the Runner takes.
func (r *Runner) MaxBatch() int { return r.max }

// Model is the model the Runner runs.
func (r *Runner) Model() *Model { return r.m }

// Input is the buffer Forward reads: fill its first n samples.
func (r *Runner) Input() []float32 { return r.acts[0] }

// Output is the buffer Forward writes.
func (r *Runner) Output() []float32 { return r.acts[len(r.acts)-1] }

// Grads are the parameter gradients from the last Backward, ordered like
// the model's Params.
func (r *Runner) Grads() [][]float32 { return r.grads }

// FlatGrads is every gradient of the last Backward in one slice, in the
// order of the model's Params (Grads are views of it).
func (r *Runner) FlatGrads() []float32 { return r.flat }

// Forward runs the first n samples of Input through the model and returns
// their outputs (a view of Output).
func (r *Runner) Forward(n int) []float32 {
	r.check(n)
	r.reuse = false
	for i := range r.m.Layers {
		r.forward(i, 0, n)
	}
	out := r.Output()
	return out[:n*r.m.Output().Size()]
}

// forward runs layer i on samples [s0, s0+n), with its state and, for a
// sampling layer, this batch's draw (s0 is 0 for a layer with state: see
// chunkSize).
func (r *Runner) forward(i, s0, n int) {
	l := r.m.Layers[i]
	r.ws.state, r.ws.cache, r.ws.reuse = r.state[i], r.cache[i], r.reuse
	if s, ok := l.(*SamplingLayer); ok {
		if r.streams != nil && len(r.streams) < n {
			panic("nn: Runner: fewer sampling streams than samples")
		}
		s.draw(r.state[i], n, r.seed, r.streams)
	}
	l.Forward(&r.ws, r.acts[i][s0*l.InputShape().Size():], r.acts[i+1][s0*l.OutputShape().Size():], n)
}

// Sample makes the model's sampling layers draw ε in every Forward from
// now on: sample j of a batch from a PCG seeded (seed, streams[j]), so
// that whoever computes a sample draws the same. The Runner keeps
// streams, which the caller refills before each batch. Sample(0, nil)
// stops the draws: each sampling layer outputs its mean.
func (r *Runner) Sample(seed uint64, streams []uint64) { r.seed, r.streams = seed, streams }

// Activation is layer i's output for the last Forward's n samples (a view:
// the next Forward overwrites it).
func (r *Runner) Activation(i, n int) []float32 {
	return r.acts[i+1][:n*r.m.Layers[i].OutputShape().Size()]
}

// Kernel is the kernel the Runner's layers multiply with.
func (r *Runner) Kernel() Kernel { return r.ws.Kernel }

// Loss returns the loss summed over every output element of the last
// Forward's n samples against target, with the model's penalties.
func (r *Runner) Loss(loss Loss, target []float32, n int) float64 {
	k := n * r.m.Output().Size()
	pen := r.penaltySum(n)
	if _, ok := loss.(BCE); ok {
		return r.ws.Kernel.BCESum(r.Output()[:k], target[:k]) + pen
	}
	return loss.Sum(r.Output()[:k], target[:k]) + pen
}

// ForwardBackward runs the first n samples of Input forward and back: it
// returns their loss summed over every output element against target, and
// leaves the gradients, scaled by scale (1/elements in the whole batch for
// a mean), in Grads. It is Forward, Loss and Backward, except that a
// sigmoid output trained with binary cross-entropy takes its activation,
// loss and gradient in one pass of the kernel (Kernel.SigmoidBCE): the
// output layer's pre-activations go straight into it; and that a model
// with large activations goes forward and back a chunk of samples at a
// time (see chunkTarget), its gradients summed over the chunks.
func (r *Runner) ForwardBackward(loss Loss, target []float32, n int, scale float32) float64 {
	r.check(n)
	out, ok := r.sigmoidOut()
	if _, bce := loss.(BCE); !bce || !ok {
		r.Forward(n)
		sum := r.Loss(loss, target, n)
		r.Backward(loss, target, n, scale)
		return sum
	}
	last := len(r.m.Layers) - 1
	size := r.m.Output().Size()
	var sum float64
	clear(r.flat)
	for s0 := 0; s0 < n; s0 += r.chunk {
		b := min(r.chunk, n-s0)
		// The weights are the same throughout: the cached layers transform
		// them in the first chunk's forward pass.
		r.reuse = s0 > 0
		for i := range r.m.Layers[:last] {
			r.forward(i, s0, b)
		}
		r.ws.cache, r.ws.reuse = r.cache[last], r.reuse
		z := r.acts[last+1][s0*size : (s0+b)*size]
		bias := out.forwardPre(&r.ws, r.acts[last][s0*r.m.Layers[last].InputShape().Size():], z, b)
		sum += r.ws.Kernel.SigmoidBCE(z, bias, target[s0*size:(s0+b)*size], r.delta[0][s0*size:(s0+b)*size], scale)
		r.reuse = true
		r.backward(s0, b, true, scale)
	}
	r.reuse = false
	return sum + r.penaltySum(n)
}

// sigmoidOut returns the output layer when it ends in a sigmoid that the
// Runner may run in one pass with binary cross-entropy.
func (r *Runner) sigmoidOut() (activated, bool) {
	layers := r.m.Layers
	if len(layers) == 0 {
		return nil, false
	}
	a, ok := layers[len(layers)-1].(activated)
	return a, ok && a.activation() == Sigmoid
}

// Backward computes the gradients of the loss of the last Forward's n
// samples against target, scaled by scale (1/elements in the whole batch
// for a mean), into Grads, overwriting them. A sigmoid output trained with
// binary cross-entropy takes the fused gradient p - y.
func (r *Runner) Backward(loss Loss, target []float32, n int, scale float32) {
	r.check(n)
	if len(r.m.Layers) == 0 {
		clear(r.flat)
		return
	}
	k := n * r.m.Output().Size()
	dy := r.delta[0][:k]
	out := r.Output()[:k]
	_, bce := loss.(BCE)
	_, sig := r.sigmoidOut()
	fused := bce && sig
	if fused {
		r.ws.Kernel.SigmoidBCEGrad(out, target[:k], dy, scale)
	} else {
		loss.Grad(out, target, dy, scale)
	}
	clear(r.flat)
	r.reuse = false // the weights may have changed since Forward
	r.backward(0, n, fused, scale)
}

// backward runs the layers back over samples [s0, s0+n) from the output
// gradient in delta[0]: with respect to the output layer's pre-activation
// when fused, else to its output, adding the parameters' gradients into
// Grads. A layer with a penalty adds its gradient on the way (s0 is 0 for
// a model with penalties: see chunkSize).
func (r *Runner) backward(s0, n int, fused bool, scale float32) {
	layers := r.m.Layers
	last := len(layers) - 1
	gi := len(r.grads)
	dy := r.delta[0]
	for i := last; i >= 0; i-- {
		l := layers[i]
		np := r.np[i]
		gi -= np
		grads := r.grads[gi : gi+np]
		in, out := s0*l.InputShape().Size(), s0*l.OutputShape().Size()
		var dx []float32
		if i > 0 {
			dx = r.delta[(last-i+1)%2][in:]
		}
		r.ws.state, r.ws.klScale = r.state[i], 0
		r.ws.cache, r.ws.reuse = r.cache[i], r.reuse
		if len(r.m.Penalties) > 0 {
			if i < last {
				r.penaltyGrad(i, dy, n, scale)
			}
			r.ws.klScale = r.klScale(i, scale)
		}
		if a, ok := l.(activated); ok && fused && i == last {
			a.backwardPre(&r.ws, r.acts[i][in:], dy[out:], dx, grads, n)
		} else {
			l.Backward(&r.ws, r.acts[i][in:], r.acts[i+1][out:], dy[out:], dx, grads, n)
		}
		dy = r.delta[(last-i+1)%2]
	}
}

// Predict runs n samples of x (any n) through the model into y, MaxBatch
// at a time.
func (r *Runner) Predict(x []float32, n int, y []float32) {
	in, out := r.m.Input.Size(), r.m.Output().Size()
	for s := 0; s < n; s += r.max {
		b := min(r.max, n-s)
		copy(r.acts[0], x[s*in:(s+b)*in])
		copy(y[s*out:], r.Forward(b))
	}
}

func (r *Runner) check(n int) {
	if n <= 0 || n > r.max {
		panic("nn: Runner: batch size out of range")
	}
}

// activated layers end in an activation that the Runner may take in one
// pass with the loss: forwardPre stops before the bias and activation
// (returning the bias), backwardPre takes the gradient with respect to the
// pre-activation.
type activated interface {
	activation() Activation
	forwardPre(ws *Workspace, x, z []float32, n int) (bias []float32)
	backwardPre(ws *Workspace, x, dz, dx []float32, grads [][]float32, n int)
}
