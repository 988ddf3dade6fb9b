//go:build js && wasm

package page

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"syscall/js"

	"aeplay/internal/numfmt"
	"aeplay/wasm/dom"
	"aeplay/wasm/jsutil"
	"aeplay/wasm/protocol"
)

// The page's states, mirrored on <body data-state> for styling and tests.
const (
	stLoading     = "loading"
	stIdle        = "idle"
	stDownloading = "downloading"
	stTraining    = "training"
	stPaused      = "paused"
	stError       = "error"
)

// app is the page. Everything runs on the event loop, in callbacks that
// return quickly: the network lives in the worker.
type app struct {
	s        Settings
	state    string
	worker   js.Value   // the leader: the page talks to it alone
	workers  []js.Value // the leader and its followers
	funcs    []js.Func  // their message and error handlers
	ready    protocol.Ready
	haveGrid bool
	grid     protocol.Grid
	indices  []int
	curves   Curves
	logLines []string
	fatal    bool
	// what the weights on show are: "pretrained" metadata, or this run's
	trained  bool
	runCfg   Settings
	lastP    protocol.Progress
	rng      *rand.Rand
	drawing  bool
	gridView *gridView
	chart    dom.Canvas
	t0       float64
	// autostarted is set once the link's autostart run has begun.
	autostarted bool
	explore     *explorer
}

// Run starts the page and never returns (the callbacks need the Go
// program alive).
func Run() {
	dom.Mark("aeplay-page-start")
	a := &app{rng: rand.New(rand.NewPCG(uint64(dom.Now()*1000), 7)), t0: dom.Now()}
	defer a.recoverToAlert()
	a.s = a.readHash()
	a.chart = dom.AsCanvas(dom.ByID("chart"))
	a.gridView = newGridView(dom.ByID("grid"))
	a.bindControls()
	a.explore = newExplorer(a)
	a.applySettings()
	a.startWorker()
	select {}
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
		dom.ByID("status").SetText("Ignored in the address: " + strings.Join(problems, "; ") + ".")
	}
	return s
}

func (a *app) setState(st string) {
	a.state = st
	dom.Body().V.Get("dataset").Set("state", st)
	a.updateButtons()
}

// startWorker creates the training workers and hands each the compiled
// module. Worker 0 leads: the page talks to it, and it drives the others
// (data-parallel, over MessageChannels the page sets up here) during a run.
func (a *app) startWorker() {
	a.setState(stLoading)
	n := a.s.WorkerCount(cores())
	a.workers, a.funcs = nil, nil
	for i := 0; i < n; i++ {
		w := js.Global().Get("Worker").New("web/worker.js")
		leader := i == 0
		onMsg := js.FuncOf(func(_ js.Value, args []js.Value) any {
			data := jsutil.Object{V: args[0].Get("data")}
			if leader {
				a.onMessage(data)
			} else if protocol.Type(data) == protocol.TError {
				e, _ := protocol.DecodeError(data)
				a.workerDied(capitalize(e.Message))
			}
			return nil
		})
		onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
			msg := "unknown error"
			if m := args[0].Get("message"); m.Type() == js.TypeString {
				msg = m.String()
			}
			a.workerDied("The training worker crashed (" + msg + "). Press Reset to start new workers.")
			return nil
		})
		w.Set("onmessage", onMsg)
		w.Set("onerror", onErr)
		boot := js.Global().Get("Object").New()
		boot.Set("type", "boot")
		boot.Set("module", js.Global().Get("aeplayModule"))
		w.Call("postMessage", boot)
		a.workers = append(a.workers, w)
		a.funcs = append(a.funcs, onMsg, onErr)
	}
	a.worker = a.workers[0]
	for _, f := range a.workers[1:] {
		ch := js.Global().Get("MessageChannel").New()
		a.connect(a.worker, protocol.RoleLeader, ch.Get("port1"))
		a.connect(f, protocol.RoleFollower, ch.Get("port2"))
	}
	dom.ByID("workers").SetValue(strconv.Itoa(n))
	base := js.Global().Get("URL").New(".", js.Global().Get("location").Get("href")).Get("href").String()
	a.post(protocol.Init{BaseURL: base, Model: a.s.Model}.Fields())
}

// cores is how many cores the browser reports.
func cores() int {
	if c := js.Global().Get("navigator").Get("hardwareConcurrency"); c.Type() == js.TypeNumber {
		return c.Int()
	}
	return 1
}

func (a *app) connect(w js.Value, role string, port js.Value) {
	msg := js.Global().Get("Object").New()
	msg.Set("type", protocol.TConnect)
	msg.Set("role", role)
	msg.Set("port", port)
	base := js.Global().Get("URL").New(".", js.Global().Get("location").Get("href")).Get("href").String()
	msg.Set("baseURL", base)
	w.Call("postMessage", msg, []any{port})
}

// stopWorkers ends every worker.
func (a *app) stopWorkers() {
	for _, w := range a.workers {
		w.Call("terminate")
	}
	for _, f := range a.funcs {
		f.Release()
	}
	a.workers, a.funcs = nil, nil
}

func (a *app) workerDied(msg string) {
	a.fatal = true
	a.setState(stError)
	a.showError(msg, true)
}

func (a *app) post(f protocol.Fields) {
	obj, transfer := jsutil.ToJS(f)
	a.worker.Call("postMessage", obj, transfer)
}

func (a *app) onMessage(m protocol.Object) {
	defer a.recoverToAlert()
	switch protocol.Type(m) {
	case protocol.TReady:
		r, err := protocol.DecodeReady(m)
		if a.check(err) {
			dom.Mark("aeplay-ready")
			a.onReady(r)
		}
	case protocol.TGrid:
		g, err := protocol.DecodeGrid(m)
		if a.check(err) && g.Tag == "peek" {
			a.explore.onPeek(g)
			return
		}
		if err == nil {
			a.grid, a.haveGrid = g, true
			a.gridView.draw(g, a.ready.Model)
			if dom.Body().V.Get("dataset").Get("firstGridMs").IsUndefined() {
				dom.Mark("aeplay-first-grid")
				dom.Body().V.Get("dataset").Set("firstGridMs", strconv.Itoa(int(dom.Now())))
				a.registerOffline()
			}
			if a.state == stLoading {
				a.setState(stIdle)
				if a.s.Autostart && !a.autostarted { // once: the link's run, not after every Reset
					a.autostarted = true
					a.train()
				}
			}
		}
	case protocol.TDownload:
		d, err := protocol.DecodeDownload(m)
		if a.check(err) {
			a.onDownload(d)
		}
	case protocol.TProgress:
		p, err := protocol.DecodeProgress(m)
		if a.check(err) {
			a.onProgress(p)
		}
	case protocol.TEpoch:
		e, err := protocol.DecodeEpoch(m)
		if a.check(err) {
			a.onEpoch(e)
		}
	case protocol.TDone:
		d, err := protocol.DecodeDone(m)
		if a.check(err) {
			a.onDone(d)
		}
	case protocol.TLatent:
		l, err := protocol.DecodeLatent(m)
		if a.check(err) {
			a.explore.onLatent(l)
		}
	case protocol.TDecode:
		d, err := protocol.DecodeDecoded(m)
		if a.check(err) {
			a.explore.onDecoded(d)
		}
	case protocol.TEncode:
		e, err := protocol.DecodeEncoded(m)
		if a.check(err) {
			a.explore.onEncoded(e)
		}
	case protocol.TCompare:
		c, err := protocol.DecodeCompare(m)
		if a.check(err) {
			a.explore.onCompare(c)
		}
	case protocol.TWeights:
		f, err := protocol.DecodeWeightsFile(m)
		if a.check(err) {
			download(f.Name, f.Bytes)
			a.status("Saved " + f.Name + ": safetensors in Keras' layout (see the README to load it in Keras or PyTorch).")
		}
	case protocol.TError:
		e, err := protocol.DecodeError(m)
		if a.check(err) {
			if e.Fatal {
				a.workerDied(capitalize(e.Message))
				return
			}
			a.showError(capitalize(e.Message), strings.Contains(e.Message, "Reset"))
			if a.state == stLoading {
				if a.ready.Model != "" {
					a.setState(stIdle) // a refused request; the model on show is still there
				} else {
					a.setState(stError) // nothing could be shown at all
				}
			}
		}
	}
}

func (a *app) check(err error) bool {
	if err != nil {
		a.showError("The page and its worker disagree about a message: "+err.Error(), false)
		return false
	}
	return true
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (a *app) onReady(r protocol.Ready) {
	model := a.ready.Model
	a.ready = r
	a.explore.modelChanged()
	a.explore.onData(r)
	if r.Data != "" && r.TestDigits < 10 || r.Data != "" && len(a.indices) > 0 && a.indices[len(a.indices)-1] >= r.TestDigits {
		a.indices = firstN(min(10, r.TestDigits))
		a.requestGrid()
	}
	a.renderSummary()
	a.trained = r.Weights["source"] != "pretrained"
	if r.Model != a.s.Model { // a loaded file was for another model
		a.s = Defaults(r.Model)
		a.applySettings()
	}
	a.renderSource()
	if !a.trained {
		a.curves = Curves{Epochs: atoiOr(r.Weights["epochs"], 1)}
		if r.Data == "" { // MNIST's curves say nothing about the reader's data
			a.curves.PretrainTrain = history(r.Weights["loss_history"])
			a.curves.PretrainVal = history(r.Weights["val_history"])
		}
		a.drawChart()
	} else if a.state != stTraining && a.state != stPaused && (r.Kept || r.Weights["file"] != "") {
		// Weights from an earlier visit or a file: their own curves.
		a.curves = Curves{Epochs: atoiOr(r.Weights["epochs"], 1)}
		a.curves.Train = history(r.Weights["loss_history"])
		a.curves.Val = history(r.Weights["val_history"])
		a.drawChart()
	}
	if r.Notice != "" {
		a.showError(r.Notice, false)
	}
	if model != r.Model || len(a.indices) == 0 {
		a.gridView.setModel(r.Model)
		if len(a.indices) == 0 {
			a.indices = firstN(10) // the post's first ten test digits
		}
		a.requestGrid()
	}
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
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

func firstN(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func (a *app) requestGrid() {
	noise := 0.0
	if a.s.Model == "denoise" {
		noise = a.s.Noise
	}
	a.post(protocol.GridRequest{Indices: a.indices, Noise: noise, NoiseSeed: a.s.Seed + 2}.Fields())
}

func (a *app) newDigits() {
	n := a.ready.TestDigits
	if n < 10 {
		return
	}
	seen := map[int]bool{}
	a.indices = a.indices[:0]
	for len(a.indices) < 10 {
		i := a.rng.IntN(n)
		if !seen[i] {
			seen[i] = true
			a.indices = append(a.indices, i)
		}
	}
	a.requestGrid()
}

func (a *app) renderSummary() {
	body := dom.ByID("summary").QueryAll("tbody")[0]
	body.Clear()
	codeRow := -1
	if a.ready.Code > 0 {
		for i, l := range a.ready.Layers {
			if strings.HasSuffix(l.Shape, fmt.Sprintf(", %d)", a.ready.Code)) && !strings.Contains(l.Shape, ", 784)") {
				codeRow = i
			}
		}
	}
	if a.ready.Model == "denoise" {
		codeRow = 3
	}
	for i, l := range a.ready.Layers {
		tr := dom.Create("tr")
		if i == codeRow {
			tr.SetClass("code", true)
		}
		name, shape, params := dom.Create("td"), dom.Create("td"), dom.Create("td")
		name.SetText(l.Name + " ")
		typ := dom.Create("span")
		typ.SetClass("type", true)
		typ.SetText("(" + l.Type + ")")
		name.Append(typ)
		shape.SetText(l.Shape)
		params.SetText(numfmt.Thousands(l.Params))
		params.SetClass("num", true)
		tr.Append(name, shape, params)
		body.Append(tr)
	}
	dom.ByID("total-params").SetText(numfmt.Thousands(a.ready.Params))
	info := ""
	switch {
	case a.ready.Model == "denoise":
		info = "No small code here: the middle is a 7×7×32 feature map (1,568 numbers, twice the pixels). This model is about cleaning, not compressing."
	case a.ready.Code > 0:
		info = fmt.Sprintf("Code: %d numbers per digit, a compression factor of %.1f (784 / %d).", a.ready.Code, 784/float64(a.ready.Code), a.ready.Code)
	}
	dom.ByID("code-info").SetText(info)
}

// renderSource says what the weights on show are.
func (a *app) renderSource() {
	w := a.ready.Weights
	src := dom.ByID("source")
	epochs, size := atoiOr(w["epochs"], 0), atoiOr(w["train_size"], 0)
	if w["source"] == "loaded" || w["file"] != "" {
		txt := "Loaded from " + w["file"]
		if epochs > 0 {
			txt += fmt.Sprintf(": %s on %s digits", plural(epochs, "epoch"), numfmt.Thousands(size))
		}
		if v, err := strconv.ParseFloat(w["val_loss"], 64); err == nil {
			txt += " · val loss " + numfmt.Loss(v)
		}
		if a.ready.Kept {
			txt += " · kept in this browser (Reset forgets it)"
		}
		src.SetText(txt)
		src.SetClass("trained", true)
		return
	}
	if !a.trained {
		txt := fmt.Sprintf("Pretrained: %s on %s digits", plural(epochs, "epoch"), numfmt.Thousands(size))
		if v, err := strconv.ParseFloat(w["val_loss"], 64); err == nil {
			txt += " · val loss " + numfmt.Loss(v)
		}
		src.SetText(txt)
		src.SetClass("trained", false)
		return
	}
	what := "digits"
	if d := w["train_data"]; d != "" {
		what = "images of " + d
	}
	txt := fmt.Sprintf("Trained here: %s on %s %s", plural(epochs, "epoch"), numfmt.Thousands(size), what)
	if a.state == stTraining || a.state == stPaused || a.state == stDownloading {
		txt = fmt.Sprintf("Training here: %s of %s on %s %s", plural(epochs, "epoch"), numfmt.Thousands(a.runCfg.Epochs), numfmt.Thousands(size), what)
	}
	if v, err := strconv.ParseFloat(w["val_loss"], 64); err == nil {
		txt += " · val loss " + numfmt.Loss(v)
	}
	if a.ready.Kept {
		txt += " · kept in this browser (Reset forgets it)"
	}
	src.SetText(txt)
	src.SetClass("trained", true)
}

func (a *app) onDownload(d protocol.Download) {
	if a.state != stDownloading {
		a.setState(stDownloading)
	}
	p := dom.ByID("progress")
	if d.Total > 0 {
		p.SetProp("value", float64(d.Loaded)/float64(d.Total))
		dom.ByID("stat-epoch").SetText(fmt.Sprintf("Downloading the %s: %.1f of %.1f MB", d.What, float64(d.Loaded)/1e6, float64(d.Total)/1e6))
	} else {
		p.RemoveAttr("value") // indeterminate
		dom.ByID("stat-epoch").SetText(fmt.Sprintf("Downloading the %s: %.1f MB", d.What, float64(d.Loaded)/1e6))
	}
	dom.ByID("stat-sps").SetText("")
	dom.ByID("stat-eta").SetText("")
}

func (a *app) onProgress(p protocol.Progress) {
	if p.Epochs == 0 { // a bare "paused" acknowledgement
		if p.Paused && a.state == stTraining {
			a.setState(stPaused)
			a.status("Paused. Resume or Step one batch at a time.")
		}
		return
	}
	if p.Paused {
		if a.state != stPaused {
			a.setState(stPaused)
		}
	} else if a.state != stTraining {
		a.setState(stTraining)
	}
	a.lastP = p
	x := float64(p.Epoch-1) + float64(p.Batch)/float64(p.Batches)
	a.curves.AddBatch(Point{X: x, Y: p.BatchLoss})
	done := x / float64(p.Epochs)
	dom.ByID("progress").SetProp("value", done)
	dom.ByID("stat-epoch").SetText(fmt.Sprintf("epoch %d/%d · batch %d/%d", p.Epoch, p.Epochs, p.Batch, p.Batches))
	dom.ByID("stat-sps").SetText(numfmt.Thousands(int(p.SamplesPerSec)) + " samples/s")
	if p.Batch > 0 && p.SamplesPerSec > 0 {
		batchSec := p.Elapsed / float64(p.Batch)
		left := (float64(p.Epochs)*float64(p.Batches) - (float64(p.Epoch-1)*float64(p.Batches) + float64(p.Batch))) * batchSec
		dom.ByID("stat-eta").SetText("ETA " + numfmt.Duration(left))
	}
	a.scheduleChart()
}

func (a *app) onEpoch(e protocol.Epoch) {
	if e.Epoch == 0 { // the fresh model's val loss, before any training
		if !math.IsNaN(e.ValLoss) {
			a.addLog(fmt.Sprintf("Before training - val_loss: %s", lossField(e.ValLoss)))
			a.curves.Val = append(a.curves.Val, Point{X: 0, Y: e.ValLoss})
			a.scheduleChart()
		}
		return
	}
	if e.Memory > 0 { // for the benchmark: the worker's memory after an epoch
		dom.Body().V.Get("dataset").Set("workerMemory", strconv.Itoa(e.Memory))
	}
	a.curves.Train = append(a.curves.Train, Point{X: float64(e.Epoch), Y: e.Loss})
	if !math.IsNaN(e.ValLoss) {
		a.curves.Val = append(a.curves.Val, Point{X: float64(e.Epoch), Y: e.ValLoss})
	}
	line := fmt.Sprintf("Epoch %d/%d - %.1fs - %s samples/s - loss: %s", e.Epoch, e.Epochs, e.Seconds, numfmt.Thousands(int(e.SamplesPerSec)), lossField(e.Loss))
	if !math.IsNaN(e.ValLoss) {
		line += " - val_loss: " + lossField(e.ValLoss)
	}
	a.addLog(line)
	a.ready.Weights["epochs"] = strconv.Itoa(e.Epoch)
	if !math.IsNaN(e.ValLoss) {
		a.ready.Weights["val_loss"] = strconv.FormatFloat(e.ValLoss, 'g', -1, 64)
	}
	a.renderSource()
	a.scheduleChart()
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

// loadFile reads the chosen file and hands it to the worker.
func (a *app) loadFile(input dom.Element) {
	files := input.Prop("files")
	if files.Length() == 0 {
		return
	}
	file := files.Index(0)
	name := file.Get("name").String()
	input.SetValue("") // choosing the same file again still fires change
	if size := file.Get("size").Float(); size > 64<<20 {
		a.showError(fmt.Sprintf("%s is %.0f MB; a weights file for these models is at most 1 MB.", name, size/(1<<20)), false)
		return
	}
	go func() {
		buf, err := jsutil.Await(file.Call("arrayBuffer"))
		if err != nil {
			a.showError("Could not read "+name+": "+err.Error(), false)
			return
		}
		b := make([]byte, buf.Get("byteLength").Int())
		js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(buf))
		a.hideError()
		a.setState(stLoading)
		a.post(protocol.WeightsFile{Type: protocol.TImport, Name: name, Bytes: b}.Fields())
		a.status("Loading the weights in " + name + "…")
	}()
}

// lossField prints a loss as Keras' log does: 4 decimals.
func lossField(v float64) string {
	if math.IsNaN(v) {
		return "nan"
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

func (a *app) onDone(d protocol.Done) {
	if a.fatal {
		return
	}
	a.setState(stIdle)
	a.renderSource()
	dom.ByID("progress").SetProp("value", 1)
	switch {
	case d.Stopped && d.Epochs == 0:
		a.status("Stopped before the first epoch ended.")
	case d.Stopped:
		a.status(fmt.Sprintf("Stopped after %s. The model keeps what it learned; Reset brings back the pretrained weights.", plural(d.Epochs, "epoch")))
	default:
		msg := "Done: " + a.runCfg.Describe()
		if !math.IsNaN(d.ValLoss) {
			msg += fmt.Sprintf(". Val loss %s", numfmt.Loss(d.ValLoss))
			if v, err := strconv.ParseFloat(a.pretrainedVal(), 64); err == nil {
				msg += fmt.Sprintf(" (the pretrained model: %s)", numfmt.Loss(v))
			}
		}
		a.status(msg + ".")
	}
	dom.ByID("stat-eta").SetText("")
}

func (a *app) pretrainedVal() string {
	if n := len(a.curves.PretrainVal); n > 0 {
		return strconv.FormatFloat(a.curves.PretrainVal[n-1].Y, 'g', -1, 64)
	}
	return ""
}

func (a *app) addLog(line string) {
	a.logLines = append(a.logLines, line)
	if len(a.logLines) > 200 {
		a.logLines = a.logLines[len(a.logLines)-200:]
	}
	l := dom.ByID("log")
	l.SetText(strings.Join(a.logLines, "\n"))
	l.SetProp("scrollTop", l.Prop("scrollHeight"))
}

func (a *app) status(s string) { dom.ByID("status").SetText(s) }

func (a *app) showError(msg string, offerReset bool) {
	box := dom.ByID("alert")
	dom.ByID("alert-msg").SetText(msg)
	dom.ByID("alert-action").SetHidden(!offerReset)
	box.SetHidden(false)
	a.status(msg)
}

func (a *app) hideError() { dom.ByID("alert").SetHidden(true) }

// train starts a run with the current settings, or resumes a paused one.
func (a *app) train() {
	switch a.state {
	case stTraining:
		a.post(protocol.Fields{"type": protocol.TPause})
		return
	case stPaused:
		a.post(protocol.Fields{"type": protocol.TResume})
		a.setState(stTraining)
		a.status("Training…")
		return
	case stIdle:
	default:
		return
	}
	a.hideError()
	a.runCfg = a.s
	cfg := protocol.TrainConfig{Model: a.s.Model, Epochs: a.s.Epochs, Batch: a.s.Batch, LR: a.s.LR, Samples: a.s.Samples,
		ValSamples: a.s.ValSamples, Noise: a.s.Noise, Seed: a.s.Seed, Workers: len(a.workers)}
	if err := cfg.Validate(); err != nil {
		a.showError("Cannot train: "+err.Error()+".", false)
		return
	}
	a.curves = Curves{Epochs: a.s.Epochs, PretrainTrain: a.curves.PretrainTrain, PretrainVal: a.curves.PretrainVal}
	if a.trained {
		a.curves.PretrainTrain, a.curves.PretrainVal = nil, nil
	}
	a.logLines = nil
	if a.s.ValSamples > 0 {
		a.addLog(fmt.Sprintf("Train on %s samples, validate on %s samples", numfmt.Thousands(a.s.Samples), numfmt.Thousands(a.s.ValSamples)))
	} else {
		a.addLog(fmt.Sprintf("Train on %s samples, no validation", numfmt.Thousands(a.s.Samples)))
	}
	a.setState(stDownloading)
	a.status("Training from scratch: " + a.s.Describe() + ".")
	a.post(cfg.Fields())
	a.drawChart()
}

func (a *app) step() {
	switch a.state {
	case stTraining, stPaused:
		a.post(protocol.Fields{"type": protocol.TStep})
	}
}

func (a *app) stop() {
	if a.state == stTraining || a.state == stPaused {
		a.post(protocol.Fields{"type": protocol.TStop})
	}
}

// reset brings back the pretrained weights, and a new worker if the old one died.
func (a *app) reset() {
	a.hideError()
	if a.fatal || a.ready.Model == "" {
		a.restartWorkers()
		a.status("Started new workers.")
		return
	}
	a.setState(stLoading)
	a.post(protocol.Fields{"type": protocol.TReset})
	a.requestGrid()
	a.logLines = nil
	dom.ByID("log").SetText("")
	dom.ByID("progress").SetProp("value", 0)
	for _, id := range []string{"stat-epoch", "stat-sps", "stat-eta"} {
		dom.ByID(id).SetText("")
	}
	a.status("Back to the pretrained weights.")
}

// restartWorkers replaces every worker: after a crash, or to change how
// many there are.
func (a *app) restartWorkers() {
	a.stopWorkers()
	a.fatal = false
	a.ready = protocol.Ready{}
	a.logLines = nil
	dom.ByID("log").SetText("")
	a.startWorker()
}

func (a *app) switchModel(model string) {
	if model == a.s.Model {
		return
	}
	keep := a.s
	a.s = Defaults(model)
	a.s.Embed, a.s.Hide, a.s.Seed, a.s.Workers = keep.Embed, keep.Hide, keep.Seed, keep.Workers
	a.applySettings()
	if a.s.WorkerCount(cores()) != len(a.workers) || a.fatal {
		a.restartWorkers() // this model runs best with another number of workers
		a.status("Loading the " + model + " model…")
		return
	}
	if a.worker.Truthy() {
		a.setState(stLoading)
		a.logLines = nil
		dom.ByID("log").SetText("")
		dom.ByID("progress").SetProp("value", 0)
		a.post(protocol.SetModel{Model: model}.Fields())
		a.status("Loading the " + model + " model…")
	}
}

func (a *app) scheduleChart() {
	if a.drawing {
		return
	}
	a.drawing = true
	dom.RequestFrame(func() {
		a.drawing = false
		a.drawChart()
	})
}
