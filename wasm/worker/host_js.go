//go:build js && wasm

package worker

import (
	"errors"
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
// loop, owns the engine: messages arrive in the inbox, and while a run is
// under way the loop trains for a slice of time, reports, and yields to the
// event loop so that Pause or Stop gets through within one slice.
type Host struct {
	eng      *Engine
	post     func(protocol.Fields)
	inbox    *inbox
	yield    func()
	handlers map[string]handler
	paused   bool
	grid     protocol.GridRequest // the digits the page shows, refreshed as the model learns
	gridRe   int                  // the request that set them, which refreshes answer
	runRe    int                  // the train request of the run under way
	broken   bool
	// keepFailed is set once keeping weights in the browser has failed.
	keepFailed bool
	shards     []*portShard // a leader's followers, in order
	tsneRe     int          // the request of the t-SNE under way, which its last frame answers
	tsneSent   time.Time    // when its last frame went
}

// A handler answers one type of request: it decodes the message, acts,
// and posts its replies with h.reply(re, …). An error it returns is posted
// as an Error naming the request, so the page never waits for an answer
// that will not come.
type handler func(h *Host, m protocol.Object, re int) error

// answer makes the handler of a request whose one reply is what act
// returns: decode, act, reply.
func answer[R any, A interface{ Fields() protocol.Fields }](decode func(protocol.Object) (R, error), act func(*Host, R) (A, error)) handler {
	return func(h *Host, m protocol.Object, re int) error {
		req, err := decode(m)
		if err != nil {
			return err
		}
		out, err := act(h, req)
		if err != nil {
			return err
		}
		h.reply(re, out.Fields())
		return nil
	}
}

// changesModel are the requests that put other weights or data on show.
var changesModel = map[string]bool{protocol.TInit: true, protocol.TSetModel: true, protocol.TTrain: true, protocol.TReset: true,
	protocol.TRestore: true, protocol.TImport: true, protocol.TData: true}

// Slice is how long the worker trains between reports and yields.
const Slice = 40 * time.Millisecond

// gridEvery is how often a run refreshes the page's digit grid.
const gridEvery = time.Second

// NewHost returns a host over an engine; post sends a message to the page
// and yield gives the event loop a turn.
func NewHost(eng *Engine, post func(protocol.Fields), yield func()) *Host {
	h := &Host{eng: eng, post: post, yield: yield, inbox: newInbox()}
	h.handlers = map[string]handler{
		protocol.TInit:     (*Host).onInit,
		protocol.TSetModel: (*Host).onSetModel,
		protocol.TGrid:     (*Host).onGrid,
		protocol.TConnect:  (*Host).onConnect,
		protocol.TTrain:    (*Host).onTrain,
		protocol.TPause:    (*Host).onPause,
		protocol.TResume:   (*Host).onResume,
		protocol.TStep:     (*Host).onStep,
		protocol.TStop:     (*Host).onStop,
		protocol.TReset:    (*Host).onReset,
		protocol.TRestore: func(h *Host, m protocol.Object, re int) error {
			h.paused = false
			return h.ready(re)(h.eng.Restore())
		},
		protocol.TExport: answer(protocol.DecodeControl, func(h *Host, _ protocol.Control) (protocol.WeightsFile, error) {
			return h.eng.Export()
		}),
		protocol.TSetAside: answer(protocol.DecodeControl, func(h *Host, _ protocol.Control) (protocol.WeightsFile, error) {
			return h.eng.SetAside()
		}),
		protocol.TImport: (*Host).onImport,
		protocol.TDecode: answer(protocol.DecodeDecodeRequest, func(h *Host, r protocol.DecodeRequest) (protocol.Decoded, error) {
			return h.eng.Decode(r.Codes)
		}),
		protocol.TLatent: (*Host).onLatent,
		protocol.TTSNE:   (*Host).onTSNE,
		protocol.THistogram: func(h *Host, m protocol.Object, re int) error {
			hist, err := h.eng.CodeHistogram(func(d protocol.Download) { h.post(d.Fields()) })
			if err != nil {
				return err
			}
			h.reply(re, hist.Fields())
			return nil
		},
		protocol.TTSNEStop: func(h *Host, m protocol.Object, re int) error {
			h.stopTSNE()
			return nil
		},
		protocol.TDecodePoint: answer(protocol.DecodeDecodePoint, func(h *Host, r protocol.DecodePoint) (protocol.Decoded, error) {
			d, err := h.eng.DecodePoint(r.X, r.Y)
			d.Tag = "point"
			return d, err
		}),
		protocol.TInterpolate: answer(protocol.DecodeInterpolate, func(h *Host, r protocol.Interpolate) (protocol.Decoded, error) {
			d, err := h.eng.Interpolate(r.A, r.B, r.Steps)
			d.Tag = "interpolate"
			return d, err
		}),
		protocol.TEncode: answer(protocol.DecodeEncode, func(h *Host, r protocol.Encode) (protocol.Encoded, error) {
			return h.eng.Encode(r.Pixels)
		}),
		protocol.TPeek: answer(protocol.DecodePeek, func(h *Host, r protocol.Peek) (protocol.Grid, error) {
			g, err := h.eng.Grid(protocol.GridRequest{Indices: []int{r.Index}})
			g.Tag = "peek"
			return g, err
		}),
		protocol.TCompare: answer(protocol.DecodeCompareRequest, func(h *Host, r protocol.CompareRequest) (protocol.Compare, error) {
			return h.eng.Compare(r.Indices)
		}),
		protocol.TLayers: answer(protocol.DecodeLayersRequest, func(h *Host, r protocol.LayersRequest) (protocol.Layers, error) {
			return h.eng.Layers(r.Index, r.Pixels)
		}),
		protocol.TData: (*Host).onData,
	}
	return h
}

// Deliver queues a message from the page. It never blocks, so it is safe to
// call from a js.FuncOf callback, and it drops nothing: the page sends a
// message per action of its reader, so the queue stays short.
func (h *Host) Deliver(m protocol.Object) { h.inbox.put(m) }

// Loop runs until the page is gone.
func (h *Host) Loop() {
	lastGrid := time.Now()
	for {
		training := h.eng.Training() && !h.paused
		if !training && !h.eng.Embedding() {
			h.handle(h.inbox.wait())
			continue
		}
		if m, ok := h.inbox.take(); ok {
			h.handle(m)
			continue
		}
		if training {
			h.guard(0, "", func() {
				h.trainSlice(Slice)
				if h.eng.Training() && time.Since(lastGrid) > gridEvery {
					h.sendGrid()
					lastGrid = time.Now()
				}
			})
		} else {
			h.guard(h.tsneRe, protocol.TTSNE, h.tsneSlice)
		}
		h.yield()
	}
}

// guard turns a panic into a fatal error the page shows, instead of a dead
// worker and a silent page.
func (h *Host) guard(re int, request string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			h.broken = true
			h.reply(re, protocol.Error{Request: request, Message: fmt.Sprintf("the training worker crashed (%v); press Reset to start a new one", r), Fatal: true}.Fields())
			println(string(debug.Stack()))
		}
	}()
	f()
}

// reply posts a message answering request re (0: nobody asked).
func (h *Host) reply(re int, f protocol.Fields) {
	if re > 0 {
		f["re"] = re
	}
	h.post(f)
}

func (h *Host) fail(re int, request string, err error) {
	h.reply(re, protocol.Error{Request: request, Message: err.Error()}.Fields())
}

func (h *Host) handle(m protocol.Object) {
	if h.broken {
		return
	}
	typ, re := protocol.Type(m), protocol.ID(m)
	hd, ok := h.handlers[typ]
	if !ok {
		h.fail(re, typ, fmt.Errorf("unknown message type %q", typ))
		return
	}
	if changesModel[typ] {
		h.stopTSNE() // its codes would be another model's
	}
	h.guard(re, typ, func() {
		if err := hd(h, m, re); err != nil {
			h.fail(re, typ, err)
		}
	})
}

func (h *Host) onInit(m protocol.Object, re int) error {
	msg, err := protocol.DecodeInit(m)
	if err != nil {
		return err
	}
	return h.ready(re)(h.eng.Init(msg.Model))
}

func (h *Host) onSetModel(m protocol.Object, re int) error {
	msg, err := protocol.DecodeSetModel(m)
	if err != nil {
		return err
	}
	h.paused = false
	return h.ready(re)(h.eng.SetModel(msg.Model))
}

func (h *Host) onGrid(m protocol.Object, re int) error {
	req, err := protocol.DecodeGridRequest(m)
	if err != nil {
		return err
	}
	if req.Tag == "" {
		h.grid, h.gridRe = req, re // the main grid, refreshed as the model learns
	}
	g, err := h.eng.Grid(req)
	if err != nil {
		return err
	}
	h.reply(re, g.Fields())
	return nil
}

func (h *Host) onTrain(m protocol.Object, re int) error {
	cfg, err := protocol.DecodeTrainConfig(m)
	if err != nil {
		return fmt.Errorf("cannot train: %w", err)
	}
	h.paused = false
	h.runRe = re
	fail := func(err error) error {
		h.fail(re, protocol.TTrain, err)
		h.reply(re, protocol.Done{Stopped: true, ValLoss: math.NaN()}.Fields())
		return nil
	}
	if cfg.Calibrate && cfg.Workers > 1 {
		cal, err := h.calibrate(cfg)
		if err != nil {
			return fail(err)
		}
		h.reply(re, cal.Fields())
		cfg.Workers = cal.Chosen
	}
	if err := h.shareRun(&cfg); err != nil {
		return fail(err)
	}
	base, err := h.eng.StartTraining(cfg, func(d protocol.Download) { h.post(d.Fields()) })
	if err != nil {
		return fail(err)
	}
	h.post(h.eng.ready().Fields())
	h.post(base.Fields())
	h.sendGrid()
	return nil
}

func (h *Host) onPause(m protocol.Object, re int) error {
	h.paused = true
	h.reply(re, protocol.Progress{Paused: true}.Fields())
	return nil
}

func (h *Host) onResume(m protocol.Object, re int) error {
	h.paused = false
	return nil
}

func (h *Host) onStep(m protocol.Object, re int) error {
	if h.eng.Training() {
		h.paused = true
		h.trainSlice(0)
		h.sendGrid()
	}
	return nil
}

func (h *Host) onStop(m protocol.Object, re int) error {
	if h.eng.Training() {
		h.reply(h.runRe, h.eng.Stop().Fields())
		h.keep()
		h.sendGrid()
	}
	return nil
}

func (h *Host) onReset(m protocol.Object, re int) error {
	h.paused = false
	return h.ready(re)(h.eng.Reset())
}

func (h *Host) onImport(m protocol.Object, re int) error {
	f, err := protocol.DecodeWeightsFile(m)
	if err != nil {
		return err
	}
	h.paused = false
	r, err := h.eng.Import(f)
	if err != nil {
		return err
	}
	h.keep()
	r.Kept = h.eng.kept
	h.reply(re, r.Fields())
	h.sendGrid()
	return nil
}

func (h *Host) onLatent(m protocol.Object, re int) error {
	l, err := h.eng.Latent(func(d protocol.Download) { h.post(d.Fields()) })
	if err != nil {
		return err
	}
	h.reply(re, l.Fields())
	return nil
}

// tsneFrameEvery is how often a t-SNE run shows its points: each frame is
// 80 KB of points to copy and draw.
const tsneFrameEvery = 150 * time.Millisecond

func (h *Host) onTSNE(m protocol.Object, re int) error {
	if _, err := protocol.DecodeControl(m); err != nil {
		return err
	}
	h.stopTSNE()
	f, err := h.eng.StartTSNE(func(d protocol.Download) { h.post(d.Fields()) })
	if err != nil {
		return err
	}
	h.tsneRe, h.tsneSent = re, time.Now()
	h.post(f.Fields())
	return nil
}

// tsneSlice runs the t-SNE under way for a slice and posts a frame now and
// then; the last answers the request.
func (h *Host) tsneSlice() {
	f, err := h.eng.StepTSNE(Slice)
	if err != nil {
		h.fail(h.tsneRe, protocol.TTSNE, err)
		return
	}
	switch {
	case f.Done:
		h.reply(h.tsneRe, f.Fields())
	case time.Since(h.tsneSent) >= tsneFrameEvery:
		h.post(f.Fields())
		h.tsneSent = time.Now()
	}
}

// stopTSNE ends a t-SNE under way, answering its request with the last
// frame: when asked, and before anything changes the model whose codes it
// places.
func (h *Host) stopTSNE() {
	if !h.eng.Embedding() {
		return
	}
	if f, err := h.eng.StopTSNE(); err == nil {
		h.reply(h.tsneRe, f.Fields())
	}
}

func (h *Host) onData(m protocol.Object, re int) error {
	req, err := protocol.DecodeDataFile(m)
	if err != nil {
		return err
	}
	h.paused = false
	return h.ready(re)(h.eng.SetData(req.Name, req.Images, req.Labels))
}

// onConnect takes a port to another worker: as the leader, a follower to
// share runs with; as a follower, the leader to serve.
func (h *Host) onConnect(m protocol.Object, re int) error {
	c, err := protocol.DecodeConnect(m)
	if err != nil {
		return err
	}
	port, ok := m.Get("port").(jsutil.Object)
	if !ok {
		return errors.New("connect: no port")
	}
	if c.Role == protocol.RoleLeader {
		h.shards = append(h.shards, newPortShard(port.V))
	} else {
		go serveLeader(&Follower{eng: h.eng}, port.V)
	}
	return nil
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

// calibrate measures a few steps of cfg's run with 1 to cfg.Workers
// workers (fewer when the run cannot share: the reader's own data) and
// returns the speeds, the fastest chosen. The followers are set up for each
// count and again for the run itself, so the run starts as any other.
func (h *Host) calibrate(cfg protocol.TrainConfig) (protocol.Calibration, error) {
	cal := protocol.Calibration{Batch: cfg.Batch}
	progress := func(d protocol.Download) { h.post(d.Fields()) }
	for n := 1; n <= cfg.Workers; n++ {
		try := cfg
		try.Workers = n
		if err := h.shareRun(&try); err != nil {
			return cal, err
		}
		if try.Workers < n {
			break
		}
		sps, err := h.eng.MeasureSteps(try, progress)
		if err != nil {
			return cal, err
		}
		cal.Counts = append(cal.Counts, n)
		cal.SamplesPerSec = append(cal.SamplesPerSec, sps)
	}
	cal.Chosen = cal.Fastest()
	return cal, cal.Check()
}

// ready returns a function that posts a Ready answering re, or returns
// the error that stopped it: h.ready(re)(h.eng.SetModel(name)).
func (h *Host) ready(re int) func(protocol.Ready, error) error {
	return func(r protocol.Ready, err error) error {
		if err != nil {
			return err
		}
		h.reply(re, r.Fields())
		return nil
	}
}

// trainSlice trains for about d (at least one batch) and reports.
func (h *Host) trainSlice(d time.Duration) {
	p, epochs, done, err := h.eng.Train(d)
	if err != nil {
		h.fail(h.runRe, protocol.TTrain, err)
		var div *DivergedError
		if errors.As(err, &div) { // the model from before is back: show it
			h.post(h.eng.ready().Fields())
			h.sendGrid()
		}
		h.reply(h.runRe, protocol.Done{Stopped: true, ValLoss: math.NaN()}.Fields())
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
		h.reply(h.runRe, done.Fields())
	}
}

// keep stores the weights on show for the next visit. A failure (storage
// full or refused) is said once, not at every epoch.
func (h *Host) keep() {
	if err := h.eng.Keep(); err != nil && !h.keepFailed {
		h.keepFailed = true
		h.fail(0, "", err)
	}
}

func (h *Host) sendGrid() {
	if len(h.grid.Indices) == 0 {
		return
	}
	g, err := h.eng.Grid(h.grid)
	if err != nil {
		h.fail(h.gridRe, protocol.TGrid, err)
		return
	}
	h.reply(h.gridRe, g.Fields())
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
	eng.SetStore(openInBackground(func() (Store, error) { return openStore() }, func(err error) {
		println("aeplay: trained models will not be kept across visits:", err.Error())
	}))
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
// the init message may set), taking first what the page fetched for this
// worker while the code compiled (worker.js's aeplayTakeFile: each file
// once; null when that fetch failed, and the file is fetched here).
type lazyFetcher struct{ base string }

func (f *lazyFetcher) Fetch(path string, progress func(loaded, total int)) ([]byte, error) {
	if take := js.Global().Get("aeplayTakeFile"); take.Type() == js.TypeFunction {
		if p := take.Invoke(path); p.Truthy() {
			if buf, err := jsutil.Await(p); err == nil && buf.Truthy() {
				b := make([]byte, buf.Get("byteLength").Int())
				js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(buf))
				if progress != nil {
					progress(len(b), len(b))
				}
				return b, nil
			}
		}
	}
	return jsutil.Fetch(f.base+path, progress)
}
