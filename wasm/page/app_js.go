//go:build js && wasm

package page

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"syscall/js"

	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/nn/spec"
	"aeplay/wasm/dom"
	"aeplay/wasm/jsutil"
	"aeplay/wasm/protocol"
)

// app is the page: a thin router between its components, which own their
// part of the document and say what the reader asked for, and the client,
// which carries requests to the workers and their replies back. It holds
// the state the components are drawn from: the settings, the page's phase
// (one Machine, moved only by fire) and the model on show. Everything runs on the event loop, in callbacks
// that return quickly: the network lives in the workers.
type app struct {
	s            Settings
	entry        catalog.Entry
	m            *Machine
	ready        protocol.Ready
	trained      bool     // the weights on show were trained here (or loaded)
	runCfg       Settings // the run under way, or the last
	autostarted  bool     // the link's autostart run has begun (once, not after every Reset)
	weightsTried bool     // the address's weights= has been fetched (once)
	firstGrid    bool
	gridAsked    string                           // the model whose first digits' grid was asked for with its Init, until its Ready
	readyRest    func()                           // the first Ready's views, shown once the first grid is drawn
	hashNotice   string                           // what the address asked that was ignored, until said with the model
	runError     string                           // why the run under way failed, said when it ends
	events       map[string]func(protocol.Object) // onEvent's handlers, by message type

	cl       *client
	tabs     *modelTabs
	summary  *summaryView
	editor   *editorView
	code     *codeView
	embed    *embedView
	source   sourceLine
	alert    *alertBox
	status   statusLine
	grid     *gridView
	progress *progressView
	controls *controlsView
	log      *logView
	explore  *explorer
	counts   *workerCounts
}

// Run starts the page and never returns (the callbacks need the Go
// program alive).
//
// It builds the page in slices, giving the event loop a turn between them,
// so that no single task keeps the main thread long: the reader's events
// and the workers' messages wait until the page is built (dom.Hold, the
// client's hold). The leader is started first: it loads the model while
// the page builds itself.
func Run() {
	dom.Mark("aeplay-page-start")
	a := &app{m: NewMachine()}
	defer a.recoverToAlert()
	release := dom.Hold()
	y := jsutil.NewYielder()
	defer y.Release()
	a.cl = newClient(a.onEvent, a.workerDied)
	a.cl.hold(true)
	a.status = newStatusLine()
	a.s = a.readHash()
	a.entry, _ = catalog.Resolve(a.s.Model)
	n := a.s.WorkerCount(cores())
	a.cl.start(n)
	a.cl.request(protocol.Init{BaseURL: siteBase(), Model: a.s.Model}.Fields(), reply{ok: a.readyReply, failed: a.loadFailed})
	a.askFirstGrid()
	for _, build := range []func(){
		func() {
			a.source = newSourceLine()
			a.alert = newAlertBox()
			a.grid = newGridView(func() { a.requestGrid(a.grid.pickNew(a.ready.TestDigits)) })
			a.grid.compact(a.s.Embed)
			a.progress = newProgressView()
			a.log = newLogView()
		},
		func() {
			a.counts = newWorkerCounts()
			a.controls = newControlsView(controlIntents{
				settings: func(s Settings) { a.setSettings(s) },
				invalid:  a.status.say,
				noise:    a.setNoise,
				train:    a.train,
				step:     a.step,
				stop:     a.stop,
				reset:    a.reset,
				restore:  a.restore,
				save:     a.save,
				load:     a.loadFile,
				workers:  a.setWorkers,
			})
			a.controls.show(a.s, a.entry)
			a.controls.setWorkers(a.s.Workers)
		},
		func() {
			a.tabs = newModelTabs(a.switchModel)
			a.tabs.show(a.entry)
			a.summary = newSummaryView()
		},
		func() {
			a.editor = newEditorView(a.switchModel, a.switchModel, a.draftChanged)
			a.editor.show(a.entry, a.s)
			a.code = newCodeView()
			a.code.show(a.entry, a.s)
		},
		func() {
			a.embed = newEmbedView()
			a.embed.show(a.s, a.entry.Title)
		},
		func() {
			a.explore = newExplorer(a.cl, func() session { return session{ready: a.ready, indices: a.grid.digits(a.ready.TestDigits)} },
				exploreIntents{switchModel: a.switchModel, ready: a.onReady, fail: func(msg string) { a.showError(msg, false) },
					entry: func() catalog.Entry { return a.entry }})
		},
	} {
		y.Yield()
		build()
	}
	y.Yield()
	a.bindWindow()
	a.applySettings() // all of it once more, as any later change does: cheap now
	a.fire(Load, "")
	a.counts.show(a.s, n)
	release()
	a.cl.hold(false)
	select {}
}

// bindWindow handles what concerns the whole page: Space toggles training
// from anywhere but a form field, the address's hash, leaving and coming
// back, the window's size.
func (a *app) bindWindow() {
	dom.OnWindow("keydown", func(e dom.Event) {
		if e.Key() != " " {
			return
		}
		switch e.Target().V.Get("tagName").String() {
		case "INPUT", "SELECT", "TEXTAREA", "BUTTON", "A":
			return
		}
		e.PreventDefault()
		a.train()
	})
	dom.OnWindow("hashchange", func(dom.Event) {
		if dom.Hash() == a.s.Hash() {
			return
		}
		s := a.readHash()
		if s.Model == a.s.Model {
			a.setSettings(s)
			return
		}
		// The address's settings, as a load of it would show them: the
		// switch puts the model's defaults in place, these go over them.
		a.switchModel(s.Model)
		a.s = s
		a.applySettings()
	})
	// A page left for good ends its workers, so none lingers mid-write in
	// IndexedDB (WebKit suspends a left page's workers, and the next load's
	// reads then wait behind them); one restored from the back-forward
	// cache starts new ones.
	dom.OnWindow("pagehide", func(dom.Event) { a.cl.stop() })
	dom.OnWindow("pageshow", func(e dom.Event) {
		if e.V.Get("persisted").Truthy() {
			a.restartWorkers()
		}
	})
	dom.OnWindow("resize", func(dom.Event) {
		dom.RequestFrame(func() {
			a.grid.redraw()
			a.progress.draw()
		})
	})
}

// recoverToAlert turns a panic in page code into words on the page.
func (a *app) recoverToAlert() {
	if r := recover(); r != nil {
		a.showError(fmt.Sprintf("The page hit a bug (%v). Reload the page to start again.", r), false)
		panic(r)
	}
}

func (a *app) readHash() Settings {
	s, problems := ParseHash(dom.Hash())
	if len(problems) > 0 {
		a.hashNotice = "Ignored in the address: " + strings.Join(problems, "; ") + ". "
		a.status.say(a.hashNotice)
	}
	return s
}

// setSettings takes settings the reader changed.
func (a *app) setSettings(s Settings) {
	noiseChanged := s.Noise != a.s.Noise || s.NoiseKind != a.s.NoiseKind
	a.s = s
	a.applySettings()
	if noiseChanged && a.entry.Noise > 0 {
		a.requestGrid(a.grid.digits(a.ready.TestDigits))
	}
}

// setNoise follows the live noise slider: inference only.
func (a *app) setNoise(v float64) {
	a.s.Noise = v
	a.s.Preset = a.s.MatchPreset()
	a.applySettings()
	a.requestGrid(a.grid.digits(a.ready.TestDigits))
}

// applySettings shows the settings in the tabs, the controls and the URL.
func (a *app) applySettings() {
	a.entry, _ = catalog.Resolve(a.s.Model)
	a.tabs.show(a.entry)
	a.editor.show(a.entry, a.s)
	a.grid.compact(a.s.Embed)
	a.controls.show(a.s, a.entry)
	a.counts.show(a.s, a.cl.size())
	a.code.show(a.entry, a.s)
	a.embed.show(a.s, a.entry.Title)
	dom.ReplaceHash(a.s.Hash())
}

// fire moves the page's phase by e, shows it, and says words (unless
// empty) in the status line: the one place the phase changes, so the
// status, the buttons and <body data-state> always agree.
func (a *app) fire(e Event, words string) {
	if _, err := a.m.Fire(e); err != nil {
		dom.Debug("page: ignored " + err.Error()) // a late message of a run already over
		return
	}
	a.showPhase()
	if words != "" {
		a.status.say(words)
	}
}

// showPhase draws the phase: the body's data-state and the controls.
func (a *app) showPhase() {
	dom.Body().V.Get("dataset").Set("state", string(a.m.Phase()))
	b := ButtonsFor(a.m.Phase(), a.trained)
	if a.editor.problem() != nil && a.m.Phase() == Idle {
		b.Train = false // the draft in the editor is not the model on show
	}
	a.controls.fit(b)
	a.editor.enable(b.Settings)
	a.grid.enable(a.ready.TestDigits)
}

// draftChanged: the editor's draft became invalid, or valid again; Train
// follows, and the status says why it cannot train.
func (a *app) draftChanged() {
	a.showPhase()
	if err := a.editor.problem(); err != nil {
		a.status.say("Fix the model in the editor to train it (" + err.Error() + "); the model on show is the last one that worked.")
	} else if a.m.Phase() == Idle {
		a.status.say(a.idleStatus())
	}
}

// startWorkers creates the workers and shows the first model.
func (a *app) startWorkers() {
	a.fire(Load, "")
	n := a.s.WorkerCount(cores())
	a.cl.start(n)
	if a.firstGrid { // a restart: the page is built, the followers can start at once
		a.cl.more()
	}
	a.controls.setWorkers(a.s.Workers)
	a.counts.show(a.s, n)
	a.cl.request(protocol.Init{BaseURL: siteBase(), Model: a.s.Model}.Fields(), reply{ok: a.readyReply, failed: a.loadFailed})
}

// cores is how many cores the browser reports.
func cores() int {
	if c := js.Global().Get("navigator").Get("hardwareConcurrency"); c.Type() == js.TypeNumber {
		return c.Int()
	}
	return 1
}

// restartWorkers replaces every worker: after a crash, or to change how
// many there are.
func (a *app) restartWorkers() {
	a.cl.stop()
	a.ready = protocol.Ready{}
	a.log.clear()
	a.startWorkers()
}

// setWorkers takes the reader's worker count (0: auto, measured).
func (a *app) setWorkers(n int) {
	if n == a.s.Workers {
		return
	}
	a.s.Workers = n
	dom.ReplaceHash(a.s.Hash())
	if a.s.WorkerCount(cores()) != a.cl.size() {
		a.restartWorkers()
	}
	a.counts.show(a.s, a.cl.size())
	if n == 0 {
		a.status.say("Worker count: auto, the fastest measured for each model.")
	} else {
		a.status.say(fmt.Sprintf("Training with %s.", plural(n, "worker")))
	}
}

func (a *app) workerDied(msg string) {
	a.fire(Crashed, "")
	a.showError(msg, true)
}

// readyReply takes a Ready that answers a request.
func (a *app) readyReply(m protocol.Object) {
	if r, ok := decodeOr(m, protocol.DecodeReady, a.disagree); ok {
		a.onReady(r)
	}
}

// loadFailed: a request meant to show a model failed; the page says why,
// and the model on show, if any, is still there.
func (a *app) loadFailed(e protocol.Error) {
	a.fire(Failed, "")
	a.showError(capitalize(e.Message), strings.Contains(e.Message, "Reset"))
}

func (a *app) disagree(msg string) { a.showError(msg, false) }

// onEvent takes the messages no request waits for: a run's course, grid
// refreshes, downloads, errors.
func (a *app) onEvent(m protocol.Object) {
	defer a.recoverToAlert()
	if a.events == nil {
		a.events = map[string]func(protocol.Object){
			protocol.TReady: a.readyReply,
			protocol.TGrid: on(protocol.DecodeGrid, a.disagree, func(g protocol.Grid) {
				if g.Tag == "" { // peeks answer their own requests
					a.onGrid(g)
				}
			}),
			protocol.TDownload: on(protocol.DecodeDownload, a.disagree, a.onDownload),
			protocol.TProgress: on(protocol.DecodeProgress, a.disagree, a.onProgress),
			protocol.TEpoch:    on(protocol.DecodeEpoch, a.disagree, a.onEpoch),
			protocol.TDone:     on(protocol.DecodeDone, a.disagree, a.onDone),
			protocol.TError:    on(protocol.DecodeError, a.disagree, a.onError),
			protocol.TTSNE:     on(protocol.DecodeTSNE, a.disagree, func(f protocol.TSNE) { a.explore.latent.onTSNE(f) }),
			protocol.TCalibration: on(protocol.DecodeCalibration, a.disagree, func(c protocol.Calibration) {
				a.counts.measured(c)
				a.log.add(CalibrationLine(c))
			}),
		}
	}
	if f, ok := a.events[protocol.Type(m)]; ok {
		f(m)
	}
}

// on makes a message handler of a decoder and what to do with the message.
func on[T any](decode func(protocol.Object) (T, error), disagree func(string), f func(T)) func(protocol.Object) {
	return func(m protocol.Object) {
		if v, ok := decodeOr(m, decode, disagree); ok {
			f(v)
		}
	}
}

// onError shows a worker's error; a fatal one means new workers.
func (a *app) onError(e protocol.Error) {
	if e.Fatal {
		a.workerDied(capitalize(e.Message))
		return
	}
	switch {
	case a.m.Phase() == Loading:
		a.fire(Failed, "")
	case a.m.Phase().Running(): // the Done that follows ends the run; the status keeps why
		a.runError = capitalize(e.Message)
	}
	a.showError(capitalize(e.Message), strings.Contains(e.Message, "Reset"))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (a *app) onGrid(g protocol.Grid) {
	a.grid.draw(g)
	if a.firstGrid {
		a.gridShown()
		return
	}
	a.firstGrid = true
	dom.Mark("aeplay-first-grid")
	dom.Body().V.Get("dataset").Set("firstGridMs", strconv.Itoa(int(dom.Now())))
	if a.readyRest != nil {
		// The grid is painted before the Ready's other views (unless a
		// newer Ready came meanwhile and showed its own).
		dom.Soon(func() {
			if rest := a.readyRest; rest != nil {
				a.readyRest = nil
				rest()
			}
			a.firstGridShown()
		})
		return
	}
	a.firstGridShown()
}

// firstGridShown follows the first grid: the other workers start, the page
// is kept for offline use, and the model is on show.
func (a *app) firstGridShown() {
	a.cl.more()
	a.registerOffline()
	a.gridShown()
}

// gridShown: a grid is drawn; while loading, the model is now on show (and
// the address's weights or autostart follow).
func (a *app) gridShown() {
	if a.m.Phase() == Loading {
		a.fire(Shown, a.hashNotice+a.idleStatus())
		a.hashNotice = "" // said once, with the first model
		if a.s.Weights != "" && !a.weightsTried {
			a.weightsTried = true
			// A model the reader trained here, kept from an earlier visit,
			// wins over the embedder's: their own work is not replaced.
			if !(a.ready.Kept && a.trained) {
				a.loadURL(a.s.Weights)
				return
			}
		}
		if a.s.Autostart && !a.autostarted {
			a.autostarted = true
			a.train()
		}
	}
}

func (a *app) onReady(r protocol.Ready) {
	dom.Mark("aeplay-ready")
	dom.Body().V.Get("dataset").Set("kernel", r.Kernel)
	model := a.ready.Model
	a.ready = r
	a.readyRest = nil         // a Ready supersedes one whose views still wait
	if r.Model != a.s.Model { // a loaded file was for another model
		keep := a.s
		a.s = Defaults(r.Model)
		a.s.Embed, a.s.Hide, a.s.Show, a.s.Theme, a.s.Seed, a.s.Workers = keep.Embed, keep.Hide, keep.Show, keep.Theme, keep.Seed, keep.Workers
		a.applySettings()
	}
	a.trained = r.Weights["source"] != "pretrained"
	// The grid first: the worker draws it while the page shows the rest.
	a.grid.setEntry(a.entry)
	asked := a.gridAsked == r.Model && r.Data == "" && slices.Equal(a.grid.digits(r.TestDigits), firstN(firstDigits))
	a.gridAsked = ""
	if !asked && (model != r.Model || r.Data != "" || a.m.Phase() == Loading) {
		a.requestGrid(a.grid.digits(r.TestDigits))
	}
	if asked && !a.firstGrid {
		// The first grid is on its way (askFirstGrid), right behind this
		// Ready: it is drawn and painted before the Ready's other views,
		// which take the main thread for ~100 ms on a first load (its
		// first full layout, code compiled as it is first called).
		a.readyRest = func() { a.showReady(r) }
		return
	}
	a.showReady(r)
}

// showReady shows what a Ready says besides the grid: the layers, the
// weights' source and curves, its notices, the buttons.
func (a *app) showReady(r protocol.Ready) {
	a.explore.modelChanged(r)
	a.summary.render(r, a.entry)
	a.renderSource()
	switch {
	case !a.trained:
		c := Curves{Epochs: atoiOr(r.Weights["epochs"], 1)}
		if r.Data == "" { // MNIST's curves say nothing about the reader's data
			c.PretrainTrain = history(r.Weights["loss_history"])
			c.PretrainVal = history(r.Weights["val_history"])
		}
		a.progress.setCurves(c)
	case !a.running() && (r.Kept || r.Weights["file"] != ""):
		// Weights from an earlier visit or a file: their own curves.
		a.progress.setCurves(Curves{Epochs: atoiOr(r.Weights["epochs"], 1),
			Train: history(r.Weights["loss_history"]), Val: history(r.Weights["val_history"])})
	}
	switch {
	case r.Notice != "" && r.SetAside:
		a.alert.show(r.Notice, "Download it", a.downloadSetAside)
		a.status.say(r.Notice)
	case r.Notice != "":
		a.showError(r.Notice, false)
	}
	a.controls.offerPrevious(r.Previous)
	a.showPhase() // Reset follows what is on show
}

// idleStatus says what is on show once a model is, and what Train will do:
// the status line never keeps a loading message past the load.
func (a *app) idleStatus() string {
	called := a.entry.Called()
	back := "Reset brings back the pretrained weights"
	if a.entry.Custom {
		back = "Reset brings back random weights"
	}
	switch w := a.ready.Weights; {
	case w["source"] == "untrained":
		return fmt.Sprintf("%s is on show, untrained: it has random weights. ▶ Train trains it here: %s.", capitalize(called), a.s.Describe())
	case w["file"] != "":
		return fmt.Sprintf("The weights of %s from %s are on show. ▶ Train trains it from scratch here.", called, w["file"])
	case a.trained:
		return fmt.Sprintf("%s, trained here, is on show. ▶ Train starts again from scratch; %s.", capitalize(called), back)
	case a.ready.Previous:
		return fmt.Sprintf("The pretrained %s model is on show; Previous model brings back the one trained here. ▶ Train trains it from scratch: %s.", a.entry.Title, a.s.Describe())
	}
	return fmt.Sprintf("The pretrained %s model is on show. ▶ Train trains it from scratch here: %s.", a.entry.Title, a.s.Describe())
}

// running reports whether a run is under way.
func (a *app) running() bool { return a.m.Phase().Running() }

func (a *app) renderSource() {
	a.source.render(a.ready, a.trained, a.running(), a.runCfg.Epochs)
}

// history parses a comma-separated per-epoch loss list from weights metadata.
func history(s string) []Point {
	var pts []Point
	for i, f := range strings.Split(s, ",") {
		if v, err := strconv.ParseFloat(f, 64); err == nil {
			pts = append(pts, Point{X: float64(i + 1), Y: v})
		}
	}
	return pts
}

// askFirstGrid asks for the grid of the first digits right after the
// first model's Init, before the page has built itself and before the
// Ready: the worker draws it as soon as the model is loaded, while the
// page builds itself and takes the Ready, which saves the first grid a
// round trip through the page's busiest moments. onReady does not ask
// again when the Ready is for that model and the grid is to show those
// digits (a sample of fewer, or the reader's data, is asked for as
// usual); if the worker then fails to draw them, they are asked for again.
func (a *app) askFirstGrid() {
	a.gridAsked = a.s.Model
	req := a.gridRequest(firstN(firstDigits))
	a.cl.request(req.Fields(), reply{
		ok: func(m protocol.Object) { a.onEvent(m) },
		failed: func(protocol.Error) {
			if a.readyRest != nil { // the Ready counted on it
				a.requestGrid(a.grid.digits(a.ready.TestDigits))
			}
		},
	})
}

// requestGrid asks for the grid of the given digits; for a model trained
// on noisy input, with the settings' noise.
func (a *app) requestGrid(indices []int) {
	if len(indices) == 0 {
		return
	}
	a.cl.request(a.gridRequest(indices).Fields(), reply{
		ok: func(m protocol.Object) { a.onEvent(m) },
	})
}

func (a *app) gridRequest(indices []int) protocol.GridRequest {
	req := protocol.GridRequest{Indices: indices, NoiseSeed: a.s.Seed + 2}
	if a.entry.Noise > 0 {
		req.Noise, req.NoiseKind = a.s.Noise, a.s.NoiseKind
	}
	return req
}

// onDownload shows a download's progress: a run's in the progress bar (the
// run starts in the downloading phase), the latent map's (the one explore
// view that fetches with progress) beside the map, leaving the page's
// phase and its status alone, so that Train stays free.
func (a *app) onDownload(d protocol.Download) {
	if a.m.Phase() == Downloading {
		a.progress.download(d)
		return
	}
	msg := fmt.Sprintf("Downloading the %s: %.1f MB", d.What, float64(d.Loaded)/1e6)
	switch {
	case d.Total > 0 && d.Loaded >= d.Total:
		msg = fmt.Sprintf("Downloaded the %s (%.1f MB).", d.What, float64(d.Total)/1e6)
	case d.Total > 0:
		msg = fmt.Sprintf("Downloading the %s: %.1f of %.1f MB", d.What, float64(d.Loaded)/1e6, float64(d.Total)/1e6)
	}
	a.explore.downloading(msg)
}

func (a *app) onProgress(p protocol.Progress) {
	if p.Epochs == 0 { // a bare "paused" acknowledgement
		if p.Paused && a.m.Phase() == Training {
			a.fire(Pause, pausedStatus)
			a.progress.paused()
		}
		return
	}
	switch ph := a.m.Phase(); {
	case p.Paused && ph != Paused:
		a.fire(Pause, pausedStatus)
	case !p.Paused && ph != Training:
		a.fire(Step, "Training…")
	}
	a.progress.progress(p)
}

func (a *app) onEpoch(e protocol.Epoch) {
	a.progress.epochDone(e)
	if e.Epoch == 0 { // the fresh model's val loss, before any training
		if !math.IsNaN(e.ValLoss) {
			a.log.add(fmt.Sprintf("Before training - val_loss: %s", lossField(e.ValLoss)))
		}
		return
	}
	if e.Memory > 0 { // for the benchmark: the worker's memory after an epoch
		dom.Body().V.Get("dataset").Set("workerMemory", strconv.Itoa(e.Memory))
	}
	line := fmt.Sprintf("Epoch %d/%d - %.1fs - %s samples/s - loss: %s", e.Epoch, e.Epochs, e.Seconds, numfmt.Thousands(int(e.SamplesPerSec)), lossField(e.Loss))
	if !math.IsNaN(e.ValLoss) {
		line += " - val_loss: " + lossField(e.ValLoss)
	}
	// A model with a penalty: its val_loss includes it; the reconstruction
	// alone and the code's mean say what it costs and buys. A variational
	// autoencoder's val_loss is its reconstruction term plus its KL term.
	switch {
	case !math.IsNaN(e.ValKL):
		line += fmt.Sprintf(" - reconstruction: %s - KL: %s", lossField(e.ValRecon), lossField(e.ValKL))
	case !math.IsNaN(e.ValRecon):
		line += fmt.Sprintf(" - val_%s: %s", a.entry.Spec.Loss, lossField(e.ValRecon))
	}
	if !math.IsNaN(e.MeanCode) {
		line += fmt.Sprintf(" - mean code: %.3f", e.MeanCode)
	}
	a.log.add(line)
	if note := a.counts.observe(e.SamplesPerSec, e.Seconds); note != "" {
		a.log.add(note)
	}
	a.editor.observe(a.entry.Spec, e.SamplesPerSec)
	a.ready.Weights["epochs"] = strconv.Itoa(e.Epoch)
	if !math.IsNaN(e.ValLoss) {
		a.ready.Weights["val_loss"] = strconv.FormatFloat(e.ValLoss, 'g', -1, 64)
	}
	a.renderSource()
}

// lossField prints a loss as Keras' log does: 4 decimals.
func lossField(v float64) string {
	if math.IsNaN(v) {
		return "nan"
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

func (a *app) onDone(d protocol.Done) {
	if !a.running() {
		return // the workers died, or another model replaced the run's
	}
	failed := a.runError
	a.runError = ""
	a.fire(Done, "")
	a.renderSource()
	a.progress.finished()
	switch {
	case failed != "":
		a.status.say(failed)
	case d.Stopped && d.Epochs == 0:
		a.status.say("Stopped before the first epoch ended.")
	case d.Stopped:
		a.status.say(fmt.Sprintf("Stopped after %s. The model keeps what it learned; Reset brings back the pretrained weights.", plural(d.Epochs, "epoch")))
	default:
		// The comparison first: in an embed the line is cut at its end.
		msg := "Done"
		if !math.IsNaN(d.ValLoss) {
			msg += fmt.Sprintf(": val loss %s", numfmt.Loss(d.ValLoss))
			if n := len(a.progress.curves.PretrainVal); n > 0 {
				pre := a.progress.curves.PretrainVal[n-1].Y
				msg += fmt.Sprintf(", the pretrained model's %s", numfmt.Loss(pre))
				if d.ValLoss > pre {
					msg += " (Reset brings it back)"
				}
			}
		}
		a.status.say(msg + ". " + capitalize(a.runCfg.Describe()) + ".")
	}
}

// pausedStatus is what the status says while a run is paused.
const pausedStatus = "Paused. Resume or Step one batch at a time."

func (a *app) showError(msg string, offerReset bool) {
	if offerReset {
		a.alert.show(msg, "Reset", a.reset)
	} else {
		a.alert.show(msg, "", nil)
	}
	a.status.say(msg)
}

// train starts a run with the current settings, or pauses or resumes the
// one under way.
func (a *app) train() {
	switch a.m.Phase() {
	case Training:
		a.cl.request(protocol.Control{Type: protocol.TPause}.Fields(), reply{})
		return
	case Paused:
		a.cl.request(protocol.Control{Type: protocol.TResume}.Fields(), reply{})
		a.fire(Resume, "Training…")
		return
	case Idle:
	default:
		return
	}
	a.alert.hide()
	a.runCfg = a.s
	cfg := protocol.TrainConfig{Model: a.s.Model, Epochs: a.s.Epochs, Batch: a.s.Batch, LR: a.s.LR, Samples: a.s.Samples,
		ValSamples: a.s.ValSamples, Noise: a.s.Noise, NoiseKind: a.s.NoiseKind, Seed: a.s.Seed}
	count := a.counts.forRun(&cfg, a.s, a.cl.size())
	if err := cfg.Validate(); err != nil {
		a.showError("Cannot train: "+err.Error()+".", false)
		return
	}
	old := a.progress.curves
	c := Curves{Epochs: a.s.Epochs}
	if !a.trained {
		c.PretrainTrain, c.PretrainVal = old.PretrainTrain, old.PretrainVal
	}
	a.progress.setCurves(c)
	a.log.clear()
	how := fmt.Sprintf("%s, kernel %s", count, a.ready.Kernel)
	if a.s.ValSamples > 0 {
		a.log.add(fmt.Sprintf("Train on %s samples, validate on %s samples (%s)", numfmt.Thousands(a.s.Samples), numfmt.Thousands(a.s.ValSamples), how))
	} else {
		a.log.add(fmt.Sprintf("Train on %s samples, no validation (%s)", numfmt.Thousands(a.s.Samples), how))
	}
	words := "Training from scratch: " + a.s.Describe() + "."
	if cfg.Calibrate {
		words += fmt.Sprintf(" First, a few steps with 1 to %d workers, to train with the fastest.", cfg.Workers)
	}
	a.fire(Train, words)
	a.cl.more()
	// The run's replies (its end, or its failure) come as events.
	a.cl.request(cfg.Fields(), reply{})
}

func (a *app) step() {
	if ph := a.m.Phase(); ph == Training || ph == Paused {
		a.cl.request(protocol.Control{Type: protocol.TStep}.Fields(), reply{})
	}
}

func (a *app) stop() {
	if ph := a.m.Phase(); ph == Training || ph == Paused {
		a.cl.request(protocol.Control{Type: protocol.TStop}.Fields(), reply{})
	}
}

// reset brings back the pretrained weights, and new workers if the old
// ones died.
func (a *app) reset() {
	a.alert.hide()
	if a.m.Phase() == Broken || a.ready.Model == "" {
		a.restartWorkers()
		a.status.say("Started new workers.")
		return
	}
	a.fire(Load, "Back to the pretrained weights.")
	a.cl.request(protocol.Control{Type: protocol.TReset}.Fields(), reply{ok: a.readyReply, failed: a.loadFailed})
	a.log.clear()
	a.progress.clear()
}

func (a *app) switchModel(model string) {
	if model == a.s.Model {
		return
	}
	keep := a.s
	a.s = Defaults(model)
	a.s.Embed, a.s.Hide, a.s.Show, a.s.Theme, a.s.Seed, a.s.Workers = keep.Embed, keep.Hide, keep.Show, keep.Theme, keep.Seed, keep.Workers
	a.applySettings()
	if a.m.Phase() == Broken {
		a.restartWorkers()
		a.status.say("Loading " + a.entry.Called() + "…")
		return
	}
	a.fire(Load, "Loading "+a.entry.Called()+"…")
	a.log.clear()
	a.progress.clear()
	a.cl.request(protocol.SetModel{Model: model}.Fields(), reply{ok: a.readyReply, failed: a.loadFailed})
}

// restore brings back the model kept before the one on show (Reset, a new
// run and a loaded file set it aside); the one on show becomes the
// previous, so a second click undoes the first.
func (a *app) restore() {
	if a.m.Phase() != Idle {
		return
	}
	a.alert.hide()
	a.fire(Load, "Bringing back the previous version of "+a.entry.Called()+"…")
	a.cl.request(protocol.Control{Type: protocol.TRestore}.Fields(), reply{ok: a.readyReply, failed: a.loadFailed})
	a.log.clear()
	a.progress.clear()
}

// downloadSetAside downloads the kept file the worker could not read.
func (a *app) downloadSetAside() {
	a.cl.request(protocol.Control{Type: protocol.TSetAside}.Fields(), reply{ok: func(m protocol.Object) {
		if f, ok := decodeOr(m, protocol.DecodeWeightsFile, a.disagree); ok {
			download(f.Name, f.Bytes)
			a.status.say("Saved " + f.Name + ", the kept file this page could not read.")
		}
	}, failed: func(e protocol.Error) { a.showError(capitalize(e.Message)+".", false) }})
}

// save downloads the weights on show.
func (a *app) save() {
	a.cl.request(protocol.Control{Type: protocol.TExport}.Fields(), reply{ok: func(m protocol.Object) {
		if f, ok := decodeOr(m, protocol.DecodeWeightsFile, a.disagree); ok {
			download(f.Name, f.Bytes)
			a.status.say("Saved " + f.Name + ": safetensors in Keras' layout (see the README to load it in Keras or PyTorch).")
		}
	}})
}

// loadFile reads a chosen weights file and shows it.
func (a *app) loadFile(file js.Value) {
	name := file.Get("name").String()
	if size := file.Get("size").Float(); size > spec.MaxWeightsBytes {
		a.showError(fmt.Sprintf("%s is %.0f MB; a weights file of a model this page trains is at most %d MB.", name, size/(1<<20), maxWeightsMB), false)
		return
	}
	go func() {
		b, err := readFile(file)
		if err != nil {
			a.showError("Could not read "+name+": "+err.Error(), false)
			return
		}
		a.alert.hide()
		a.fire(Load, "Loading the weights in "+name+"…")
		a.cl.request(protocol.WeightsFile{Type: protocol.TImport, Name: name, Bytes: b}.Fields(), reply{ok: a.readyReply, failed: a.loadFailed})
	}()
}

// maxWeightsMB is spec.MaxWeightsBytes in MB, rounded up, for messages.
const maxWeightsMB = (spec.MaxWeightsBytes + 1<<20 - 1) >> 20

// loadURL fetches a weights file named by the address (weights=) and
// shows it, checked as an upload is: the embedder's trained model.
func (a *app) loadURL(u string) {
	name := u[strings.LastIndexByte(u, '/')+1:]
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		name = name[:i]
	}
	if name == "" {
		name = "weights.safetensors"
	}
	a.fire(Load, "Fetching the weights at "+u+"…")
	go func() {
		b, err := jsutil.FetchCapped(u, spec.MaxWeightsBytes)
		if err != nil {
			a.fire(Failed, "")
			msg := "Could not fetch the weights at " + u + ": " + err.Error() + "."
			if strings.Contains(err.Error(), "network error") {
				msg = "Could not fetch the weights at " + u + ": the server did not answer, or does not let other sites read the file (it must send Access-Control-Allow-Origin). The model on show is the page's own."
			} else if errors.Is(err, jsutil.ErrTooLarge) {
				msg = fmt.Sprintf("The weights at %s are larger than the %d MB of a model this page trains; not loaded.", u, maxWeightsMB)
			}
			a.showError(msg, false)
			return
		}
		a.cl.request(protocol.WeightsFile{Type: protocol.TImport, Name: name, Bytes: b}.Fields(), reply{ok: a.readyReply, failed: a.loadFailed})
	}()
}

// download offers bytes as a file download.
func download(name string, b []byte) {
	arr := jsutil.Uint8Array(b)
	opts := js.Global().Get("Object").New()
	opts.Set("type", "application/octet-stream")
	blob := js.Global().Get("Blob").New([]any{arr}, opts)
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	link := dom.Create("a")
	link.SetAttr("href", url.String())
	link.SetAttr("download", name)
	dom.Body().Append(link)
	link.V.Call("click")
	link.V.Call("remove")
	// Revoke after the browser has started the download.
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		js.Global().Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	js.Global().Call("setTimeout", revoke, 10000)
}
