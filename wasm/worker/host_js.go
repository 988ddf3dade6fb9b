//go:build js && wasm

package worker

import (
	"fmt"
	"math"
	"runtime/debug"
	"syscall/js"
	"time"

	"aeplay/nn/catalog"
	"aeplay/nn/train"
	"aeplay/wasm/jsutil"
	"aeplay/wasm/protocol"
)

// Host connects an Engine to the worker's message port. One goroutine, the
// loop, owns the engine: messages arrive on a channel, and while a run is
// under way the loop trains for a slice of time, reports, and yields to the
// event loop so that Pause or Stop gets through within one slice.
type Host struct {
	eng    *Engine
	post   func(protocol.Fields)
	inbox  chan protocol.Object
	yield  func()
	paused bool
	grid   protocol.GridRequest // the digits the page shows, refreshed as the model learns
	broken bool
	// keepFailed is set once keeping weights in the browser has failed.
	keepFailed bool
	shards     []*portShard // a leader's followers, in order
}

// Slice is how long the worker trains between reports and yields.
const Slice = 40 * time.Millisecond

// gridEvery is how often a run refreshes the page's digit grid.
const gridEvery = time.Second

// NewHost returns a host over an engine; post sends a message to the page
// and yield gives the event loop a turn.
func NewHost(eng *Engine, post func(protocol.Fields), yield func()) *Host {
	return &Host{eng: eng, post: post, inbox: make(chan protocol.Object, 64), yield: yield}
}

// Deliver queues a message from the page. It never blocks, so it is safe to
// call from a js.FuncOf callback.
func (h *Host) Deliver(m protocol.Object) {
	select {
	case h.inbox <- m:
	default:
		h.post(protocol.Error{Message: "the worker is overwhelmed with messages; one was dropped"}.Fields())
	}
}

// Loop runs until the page is gone.
func (h *Host) Loop() {
	lastGrid := time.Now()
	for {
		if !h.eng.Training() || h.paused {
			h.handle(<-h.inbox)
			continue
		}
		select {
		case m := <-h.inbox:
			h.handle(m)
			continue
		default:
		}
		h.guard(func() {
			h.trainSlice(Slice)
			if h.eng.Training() && time.Since(lastGrid) > gridEvery {
				h.sendGrid()
				lastGrid = time.Now()
			}
		})
		h.yield()
	}
}

// guard turns a panic into a fatal error the page shows, instead of a dead
// worker and a silent page.
func (h *Host) guard(f func()) {
	defer func() {
		if r := recover(); r != nil {
			h.broken = true
			h.post(protocol.Error{Message: fmt.Sprintf("the training worker crashed (%v); press Reset to start a new one", r), Fatal: true}.Fields())
			println(string(debug.Stack()))
		}
	}()
	f()
}

func (h *Host) fail(err error) {
	h.post(protocol.Error{Message: err.Error()}.Fields())
}

func (h *Host) handle(m protocol.Object) {
	if h.broken {
		return
	}
	h.guard(func() { h.dispatch(m) })
}

func (h *Host) dispatch(m protocol.Object) {
	switch protocol.Type(m) {
	case protocol.TInit:
		msg, err := protocol.DecodeInit(m)
		if err != nil {
			h.fail(err)
			return
		}
		h.ready(h.eng.Init(msg.Model))
	case protocol.TSetModel:
		msg, err := protocol.DecodeSetModel(m)
		if err != nil {
			h.fail(err)
			return
		}
		h.paused = false
		h.ready(h.eng.SetModel(msg.Model))
	case protocol.TGrid:
		req, err := protocol.DecodeGridRequest(m)
		if err != nil {
			h.fail(err)
			return
		}
		if req.Tag == "" {
			h.grid = req // the main grid, refreshed as the model learns
		}
		g, err := h.eng.Grid(req)
		if err != nil {
			h.fail(err)
			return
		}
		h.post(g.Fields())
	case protocol.TConnect:
		h.connect(m)
	case protocol.TTrain:
		cfg, err := protocol.DecodeTrainConfig(m)
		if err != nil {
			h.fail(fmt.Errorf("cannot train: %w", err))
			return
		}
		h.paused = false
		if err := h.shareRun(&cfg); err != nil {
			h.fail(err)
			h.post(protocol.Done{Stopped: true, ValLoss: math.NaN()}.Fields())
			return
		}
		base, err := h.eng.StartTraining(cfg, func(d protocol.Download) { h.post(d.Fields()) })
		if err != nil {
			h.fail(err)
			h.post(protocol.Done{Stopped: true, ValLoss: math.NaN()}.Fields())
			return
		}
		h.ready(h.eng.ready(), nil)
		h.post(base.Fields())
		h.sendGrid()
	case protocol.TPause:
		h.paused = true
		h.post(protocol.Progress{Paused: true}.Fields())
	case protocol.TResume:
		h.paused = false
	case protocol.TStep:
		if h.eng.Training() {
			h.paused = true
			h.trainSlice(0)
			h.sendGrid()
		}
	case protocol.TStop:
		if h.eng.Training() {
			h.post(h.eng.Stop().Fields())
			h.keep()
			h.sendGrid()
		}
	case protocol.TExport:
		f, err := h.eng.Export()
		if err != nil {
			h.fail(err)
			return
		}
		h.post(f.Fields())
	case protocol.TImport:
		f, err := protocol.DecodeWeightsFile(m)
		if err != nil {
			h.fail(err)
			return
		}
		h.paused = false
		r, err := h.eng.Import(f)
		if err == nil {
			h.keep()
			r.Kept = h.eng.kept
		}
		h.ready(r, err)
		h.sendGrid()
	case protocol.TDecode:
		codes, ok := m.Get("codes").([]float32)
		if !ok {
			h.fail(fmt.Errorf("decode: no codes"))
			return
		}
		d, err := h.eng.Decode(codes)
		if err != nil {
			h.fail(err)
			return
		}
		h.post(d.Fields())
	case protocol.TLatent:
		l, err := h.eng.Latent(func(d protocol.Download) { h.post(d.Fields()) })
		if err != nil {
			h.fail(err)
			return
		}
		h.post(l.Fields())
	case protocol.TDecodePoint:
		x, _ := m.Get("x").(float64)
		y, _ := m.Get("y").(float64)
		d, err := h.eng.DecodePoint(x, y)
		if err != nil {
			h.fail(err)
			return
		}
		d.Tag = "point"
		h.post(d.Fields())
	case protocol.TInterpolate:
		a, _ := m.Get("a").(float64)
		b, _ := m.Get("b").(float64)
		steps, _ := m.Get("steps").(float64)
		d, err := h.eng.Interpolate(int(a), int(b), int(steps))
		if err != nil {
			h.fail(err)
			return
		}
		d.Tag = "interpolate"
		h.post(d.Fields())
	case protocol.TEncode:
		px, _ := m.Get("pixels").([]float32)
		enc, err := h.eng.Encode(px)
		if err != nil {
			h.fail(err)
			return
		}
		h.post(enc.Fields())
	case protocol.TPeek:
		i, _ := m.Get("index").(float64)
		g, err := h.eng.Grid(protocol.GridRequest{Indices: []int{int(i)}})
		if err != nil {
			h.fail(err)
			return
		}
		g.Tag = "peek"
		h.post(g.Fields())
	case protocol.TCompare:
		req, err := protocol.DecodeGridRequest(m)
		if err != nil {
			h.fail(err)
			return
		}
		c, err := h.eng.Compare(req.Indices)
		if err != nil {
			h.fail(err)
			return
		}
		h.post(c.Fields())
	case protocol.TData:
		name, _ := m.Get("name").(string)
		images, _ := m.Get("images").([]uint8)
		labels, _ := m.Get("labels").([]uint8)
		h.paused = false
		h.ready(h.eng.SetData(name, images, labels))
	case protocol.TReset:
		h.paused = false
		h.ready(h.eng.Reset())
	default:
		h.fail(fmt.Errorf("unknown message type %q", protocol.Type(m)))
	}
}

// connect takes a port to another worker: as the leader, a follower to
// share runs with; as a follower, the leader to serve.
func (h *Host) connect(m protocol.Object) {
	role, _ := m.Get("role").(string)
	port, ok := m.Get("port").(jsutil.Object)
	if !ok {
		h.fail(fmt.Errorf("connect: no port"))
		return
	}
	switch role {
	case protocol.RoleLeader:
		h.shards = append(h.shards, newPortShard(port.V))
	case protocol.RoleFollower:
		go serveLeader(&Follower{eng: h.eng}, port.V)
	default:
		h.fail(fmt.Errorf("connect: unknown role %q", role))
	}
}

// shareRun sets a run up on the followers: as many as the run asks for
// (cfg.Workers counts the leader), each told the run so it builds the
// same replica.
func (h *Host) shareRun(cfg *protocol.TrainConfig) error {
	n := min(max(cfg.Workers-1, 0), len(h.shards))
	if h.eng.custom != "" {
		n = 0 // the followers fetch MNIST; the reader's own data stays with the leader
	}
	cfg.Workers = n + 1
	var shards []train.Shard
	if n > 0 {
		m, err := catalog.New(cfg.Model)
		if err != nil {
			return err
		}
		for _, s := range h.shards[:n] {
			s.setup(*cfg, m)
			shards = append(shards, s)
		}
	}
	h.eng.SetShards(shards)
	return nil
}

func (h *Host) ready(r protocol.Ready, err error) {
	if err != nil {
		h.fail(err)
		return
	}
	h.post(r.Fields())
}

// trainSlice trains for about d (at least one batch) and reports.
func (h *Host) trainSlice(d time.Duration) {
	p, epochs, done, err := h.eng.Train(d)
	if err != nil {
		h.fail(err)
		h.post(protocol.Done{Stopped: true, ValLoss: math.NaN()}.Fields())
		return
	}
	p.Paused = h.paused
	h.post(p.Fields())
	for _, e := range epochs {
		if mem := js.Global().Get("aeplayGoMemory"); mem.Truthy() {
			e.Memory = mem.Get("buffer").Get("byteLength").Int()
		}
		h.post(e.Fields())
	}
	if len(epochs) > 0 || done != nil {
		h.keep()
		h.sendGrid()
	}
	if done != nil {
		h.post(done.Fields())
	}
}

// keep stores the weights on show for the next visit. A failure (storage
// full or refused) is said once, not at every epoch.
func (h *Host) keep() {
	if err := h.eng.Keep(); err != nil && !h.keepFailed {
		h.keepFailed = true
		h.fail(err)
	}
}

func (h *Host) sendGrid() {
	if len(h.grid.Indices) == 0 {
		return
	}
	g, err := h.eng.Grid(h.grid)
	if err != nil {
		h.fail(err)
		return
	}
	h.post(g.Fields())
}

// Serve runs the worker: it answers messages on the worker's global scope
// until the page closes it. baseURL is the site root the files are fetched
// from (init messages may override it).
func Serve() {
	self := js.Global()
	base := self.Get("location").Get("href").String()
	post := func(f protocol.Fields) {
		obj, transfer := jsutil.ToJS(f)
		self.Call("postMessage", obj, transfer)
	}
	y := jsutil.NewYielder()
	eng := NewEngine(&lazyFetcher{base: base})
	if s, err := openStore(); err == nil {
		eng.SetStore(s)
	} else {
		println("aeplay: trained models will not be kept across visits:", err.Error())
	}
	h := NewHost(eng, post, y.Yield)
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := args[0].Get("data")
		if b := data.Get("baseURL"); b.Type() == js.TypeString { // init and connect say where the site is
			eng.fetch.(*lazyFetcher).base = b.String()
		}
		h.Deliver(jsutil.Object{V: data})
		return nil
	})
	self.Set("onmessage", onMessage)
	// Tell the bootstrap the Go side is listening: messages that arrived
	// before now were queued by it and are replayed.
	if ready := self.Get("aeplayWorkerReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	h.Loop()
}

// lazyFetcher reads the site's files with fetch, relative to base (which
// the init message may set).
type lazyFetcher struct{ base string }

func (f *lazyFetcher) Fetch(path string, progress func(loaded, total int)) ([]byte, error) {
	return jsutil.Fetch(f.base+path, progress)
}
