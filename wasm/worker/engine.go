package worker

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/encoding/idx"
	"aeplay/nn/encoding/safetensors"
	"aeplay/nn/pca"
	"aeplay/nn/spec"
	"aeplay/nn/train"
	"aeplay/nn/weights"
	"aeplay/wasm/protocol"
)

// Fetcher reads a file of the site (path relative to its root), reporting
// progress as bytes arrive.
type Fetcher interface {
	Fetch(path string, progress func(loaded, total int)) ([]byte, error)
}

// Store keeps trained weights across visits (IndexedDB in the browser),
// one safetensors file per model name.
type Store interface {
	Get(model string) ([]byte, error) // nil, nil when none is kept
	Put(model string, weights []byte) error
	Delete(model string) error
}

// Files of the site the engine reads.
const (
	SampleImages = "web/data/sample-images-idx3-ubyte.gz"
	SampleLabels = "web/data/sample-labels-idx1-ubyte.gz"
	TestImages   = "web/data/t10k-images-idx3-ubyte.gz"
	TestLabels   = "web/data/t10k-labels-idx1-ubyte.gz"
	TrainImages  = "web/data/train-images-idx3-ubyte.gz"
)

// WeightsPath is where a seed model's pretrained weights are.
func WeightsPath(model string) string { return "web/models/" + model + ".safetensors" }

// Engine is one worker's state: the model on show, its data, and a
// training run if one is under way.
type Engine struct {
	fetch Fetcher
	store Store // nil: nothing is kept across visits
	kept  bool  // the weights on show are the ones in store

	name       string
	model      *nn.Model
	meta       map[string]string
	pretrained map[string][]byte // weight files already fetched
	entry      catalog.Entry     // what the catalogue says of the model on show
	// k is the kernel of every inference (grids, codes, decodings), made
	// once: in the browser a new kernel is a new instance of the SIMD
	// module, and the engine runs on one goroutine.
	k        nn.Kernel
	kernel   string    // k's name, as the page reports it
	baseline *nn.Model // the pretrained entry.Baseline, for a denoiser's middle row
	denoise  *nn.Model // the pretrained denoising model, for drawings
	mapPCA   *pca.PCA  // the latent map's projection, for decoding its points
	mapCodes []float32 // the codes of the map's digits and their points, for t-SNE
	mapPts   []float32
	tsne     *tsneRun // a t-SNE of the map's codes under way
	custom   string   // the reader's own data set's name, when it replaced MNIST

	// Test digits: a small sample first (the first grid must not wait for
	// the whole test set), all 10,000 once training has fetched them. The
	// sample is the test set's first digits, so indices mean the same in
	// both.
	test       *idx.Images
	testLabels []uint8
	fullTest   bool // test is the whole test set, not the sample
	train      *idx.Images

	tr      *train.Trainer
	run     protocol.TrainConfig
	val     train.Dataset
	shards  []train.Shard
	lastLog *protocol.Epoch
}

// NewEngine returns an engine that reads files with f.
func NewEngine(f Fetcher) *Engine {
	k := nn.NewKernel()
	return &Engine{fetch: f, pretrained: map[string][]byte{}, k: k, kernel: k.Name()}
}

// SetStore gives the engine somewhere to keep trained weights.
func (e *Engine) SetStore(s Store) { e.store = s }

// Init loads the sample digits and shows model with its pretrained weights.
func (e *Engine) Init(model string) (protocol.Ready, error) {
	if e.test == nil {
		im, labels, err := e.loadImages(SampleImages, SampleLabels, "sample digits", nil)
		if err != nil {
			return protocol.Ready{}, err
		}
		e.test, e.testLabels = im, labels
	}
	return e.SetModel(model)
}

func (e *Engine) loadImages(imagesPath, labelsPath, what string, progress func(protocol.Download)) (*idx.Images, []uint8, error) {
	b, err := e.fetch.Fetch(imagesPath, func(loaded, total int) {
		if progress != nil {
			progress(protocol.Download{What: what, Loaded: loaded, Total: total})
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("could not load the %s (%s): %w", what, imagesPath, err)
	}
	im, err := idx.ReadImages(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("the %s file %s is damaged: %w", what, imagesPath, err)
	}
	if im.Rows != 28 || im.Cols != 28 {
		return nil, nil, fmt.Errorf("the %s in %s are %dx%d pixels; the seed models need 28x28", what, imagesPath, im.Rows, im.Cols)
	}
	var labels []uint8
	if labelsPath != "" {
		lb, err := e.fetch.Fetch(labelsPath, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("could not load the %s labels (%s): %w", what, labelsPath, err)
		}
		if labels, err = idx.ReadLabels(bytes.NewReader(lb)); err != nil {
			return nil, nil, fmt.Errorf("the %s label file %s is damaged: %w", what, labelsPath, err)
		}
		if len(labels) != im.N {
			return nil, nil, fmt.Errorf("%s has %d images but %s has %d labels", imagesPath, im.N, labelsPath, len(labels))
		}
	}
	return im, labels, nil
}

// untrainedSeed initialises a custom model before any run: the page's
// default seed, so an untrained model looks the same on every visit.
const untrainedSeed = 1

// SetModel shows a model, ending any run: with the weights kept in this
// browser if a run or a loaded file left some, else the pretrained ones. A
// kept file that cannot be read is set aside, and the page told why.
//
// name is a catalogue name or a spec's text (catalog.Resolve); a custom
// model has no pretrained weights and starts from the seed's
// initialisation, untrained.
func (e *Engine) SetModel(name string) (protocol.Ready, error) {
	entry, err := catalog.Resolve(name)
	if err != nil {
		return protocol.Ready{}, err
	}
	m, err := entry.New()
	if err != nil {
		return protocol.Ready{}, err
	}
	meta, kept, notice := e.loadKept(m)
	if meta == nil && entry.Custom {
		m.Init(untrainedSeed)
		meta = map[string]string{"source": "untrained"}
	} else if meta == nil {
		if meta, err = e.loadPretrained(m); err != nil {
			return protocol.Ready{}, err
		}
	}
	e.endRun()
	e.entry = entry
	e.name, e.model, e.meta, e.kept = entry.Name, m, meta, kept
	r := e.ready()
	r.Notice = notice
	return r, nil
}

func (e *Engine) loadPretrained(m *nn.Model) (map[string]string, error) {
	path := WeightsPath(m.Name)
	b, ok := e.pretrained[m.Name]
	if !ok {
		var err error
		if b, err = e.fetch.Fetch(path, nil); err != nil {
			return nil, fmt.Errorf("could not load the pretrained weights of %s (%s): %w", catalog.Called(m.Name), path, err)
		}
	}
	meta, err := weights.Read(b, m)
	if err != nil {
		return nil, fmt.Errorf("the pretrained weights %s are damaged: %w", path, err)
	}
	e.pretrained[m.Name] = b
	meta["source"] = "pretrained"
	return meta, nil
}

func (e *Engine) ready() protocol.Ready {
	r := protocol.Ready{Model: e.name, Summary: e.model.Summary(), Params: e.model.NumParams(), Weights: e.meta, TestDigits: e.TestDigits(), Data: e.custom, Kept: e.kept,
		Previous: e.has(previousKey(e.name)), SetAside: e.has(asideKey(e.name))}
	for _, l := range e.model.Layers {
		n := 0
		for _, p := range l.Params() {
			n += p.Size()
		}
		r.Layers = append(r.Layers, protocol.LayerRow{Name: l.Name(), Type: l.Type(), Shape: l.OutputShape().String(), Params: n})
	}
	r.CodeLayer = e.model.Code
	r.Kernel = e.kernel
	if cs := e.model.CodeShape(); cs != nil {
		r.Code = cs.Size()
	}
	return r
}

// mnistTestDigits is how many digits MNIST's test set has: an index past
// it is refused without fetching anything.
const mnistTestDigits = 10000

// fullTestSet replaces the sample of test digits by the whole test set,
// unless it is loaded already or the reader's own data replaced MNIST.
func (e *Engine) fullTestSet(progress func(protocol.Download)) error {
	if e.custom != "" || e.fullTest {
		return nil
	}
	im, labels, err := e.loadImages(TestImages, TestLabels, "test digits", progress)
	if err != nil {
		return err
	}
	e.test, e.testLabels, e.fullTest = im, labels, true
	return nil
}

// testDigit checks a test digit's index against the whole test set, and
// fetches the set when the index is past the sample loaded so far: an
// index means the same digit whichever is loaded.
func (e *Engine) testDigit(i int) error {
	if i >= e.TestDigits() && i < mnistTestDigits {
		if err := e.fullTestSet(nil); err != nil {
			return fmt.Errorf("test digit #%d needs the whole test set: %w", i, err)
		}
	}
	if i < 0 || i >= e.TestDigits() {
		return fmt.Errorf("there is no test digit #%d: the test set's digits are #0 to #%d", i, e.TestDigits()-1)
	}
	return nil
}

// TestDigits is how many test digits a grid may pick from right now.
func (e *Engine) TestDigits() int {
	if e.test == nil {
		return 0
	}
	return e.test.N
}

// Grid runs the chosen test digits through the model.
func (e *Engine) Grid(req protocol.GridRequest) (protocol.Grid, error) {
	if e.model == nil || e.test == nil {
		return protocol.Grid{}, errors.New("no model loaded yet")
	}
	n := len(req.Indices)
	if n == 0 || n > 100 {
		return protocol.Grid{}, fmt.Errorf("a grid shows 1 to 100 digits, not %d", n)
	}
	for _, i := range req.Indices {
		if err := e.testDigit(i); err != nil {
			return protocol.Grid{}, err
		}
	}
	if err := protocol.CheckNoise(req.NoiseKind, req.Noise); err != nil {
		return protocol.Grid{}, err
	}
	side := e.test.Rows
	g := protocol.Grid{Side: side, N: n, Indices: req.Indices, Noise: req.Noise, NoiseKind: req.NoiseKind, Tag: req.Tag}
	for _, i := range req.Indices {
		g.Labels = append(g.Labels, e.testLabels[i])
	}
	clean := train.Dataset{Images: e.test}
	g.Originals = clean.Inputs(req.Indices)
	input := g.Originals
	if e.entry.Noise > 0 {
		noisy := train.Dataset{Images: e.test, Noise: float32(req.Noise), NoiseKind: spec.NoiseKindOf(req.NoiseKind), NoiseSeed: uint64(req.NoiseSeed)}
		g.Noisy = noisy.Inputs(req.Indices)
		input = g.Noisy
		if e.entry.Baseline != "" {
			b, err := e.baselineModel()
			if err != nil {
				return protocol.Grid{}, err
			}
			g.Baseline = e.predict(b, g.Noisy)
		}
	}
	g.Recon = e.predict(e.model, input)
	if enc := e.model.Encoder(); enc != nil && e.entry.ShowsCode() {
		g.Codes = e.predict(enc, input)
		g.CodeSize = enc.Output().Size()
	}
	return g, nil
}

// baselineModel is the pretrained model a denoiser is shown beside.
func (e *Engine) baselineModel() (*nn.Model, error) {
	if e.baseline == nil || e.baseline.Name != e.entry.Baseline {
		m, err := catalog.New(e.entry.Baseline)
		if err != nil {
			return nil, err
		}
		if _, err := e.loadPretrained(m); err != nil {
			return nil, err
		}
		e.baseline = m
	}
	return e.baseline, nil
}

// predict runs x (whole samples) through m.
func (e *Engine) predict(m *nn.Model, x []float32) []float32 {
	n := len(x) / m.Input.Size()
	y := make([]float32, n*m.Output().Size())
	m.NewRunner(n, e.k).Predict(x, n, y)
	return y
}

// StartTraining fetches what a run needs (reporting download progress),
// reinitialises the model with the run's seed and prepares to train.
// Baseline is the fresh model's validation loss ("epoch 0"), so that even a
// one-epoch run shows the loss fall; it is NaN without validation data.
func (e *Engine) StartTraining(cfg protocol.TrainConfig, progress func(protocol.Download)) (baseline protocol.Epoch, err error) {
	baseline = protocol.Epoch{Epochs: cfg.Epochs, Loss: math.NaN(), ValLoss: math.NaN(), ValRecon: math.NaN(), MeanCode: math.NaN()}
	err = e.startTraining(cfg, progress)
	if err == nil && cfg.ValSamples > 0 {
		baseline.ValLoss, err = e.tr.Evaluate(e.val)
	}
	return baseline, err
}

func (e *Engine) startTraining(cfg protocol.TrainConfig, progress func(protocol.Download)) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if cfg.Model != "" && cfg.Model != e.name {
		if _, err := e.SetModel(cfg.Model); err != nil {
			return err
		}
	}
	if e.model == nil {
		return errors.New("no model loaded yet")
	}
	// A batch's activations and their gradients must fit the tab's memory.
	plan, err := e.entry.Spec.Plan()
	if err != nil {
		return err
	}
	if err := plan.CheckBatch(cfg.Batch); err != nil {
		return err
	}
	trainSet, val, err := e.datasets(cfg, progress)
	if err != nil {
		return err
	}
	e.endRun()
	e.model.Init(uint64(cfg.Seed))
	e.kept = false
	tr, err := train.New(e.model, trainSet, val, train.Config{Epochs: cfg.Epochs, BatchSize: cfg.Batch, LR: float32(cfg.LR),
		Seed: uint64(cfg.Seed), Workers: 1, Shards: e.shards, Loss: e.entry.Spec.LossFunc()})
	if err != nil {
		return err
	}
	samples := trainSet.Len()
	e.tr, e.run, e.val = tr, cfg, val
	e.meta = map[string]string{"source": "trained here", "epochs": "0", "train_size": fmt.Sprint(samples),
		"batch_size": fmt.Sprint(cfg.Batch), "lr": fmt.Sprint(cfg.LR), "seed": fmt.Sprint(cfg.Seed)}
	if e.custom != "" {
		e.meta["train_data"] = e.custom
	}
	return nil
}

// datasets fetches what a run needs and returns its training and
// validation sets: the first cfg.Samples training digits and the first
// cfg.ValSamples test digits, noisy as cfg says. Leader and followers build
// them the same way, so a sample index means the same image everywhere.
func (e *Engine) datasets(cfg protocol.TrainConfig, progress func(protocol.Download)) (trainSet, val train.Dataset, err error) {
	if e.train == nil {
		im, _, err := e.loadImages(TrainImages, "", "training digits", progress)
		if err != nil {
			return trainSet, val, err
		}
		e.train = im
	}
	if cfg.ValSamples > 0 {
		if err := e.fullTestSet(progress); err != nil {
			return trainSet, val, err
		}
	}
	kind := spec.NoiseKindOf(cfg.NoiseKind)
	trainSet = train.Dataset{Images: e.train.Slice(0, min(cfg.Samples, e.train.N)), Noise: float32(cfg.Noise), NoiseKind: kind, NoiseSeed: uint64(cfg.Seed) + 1}
	if cfg.ValSamples > 0 {
		val = train.Dataset{Images: e.test.Slice(0, min(cfg.ValSamples, e.test.N)), Noise: float32(cfg.Noise), NoiseKind: kind, NoiseSeed: uint64(cfg.Seed) + 2}
	}
	return trainSet, val, nil
}

// SetShards gives the engine the followers that will share its runs.
func (e *Engine) SetShards(s []train.Shard) { e.shards = s }

// Training reports whether a run is under way.
func (e *Engine) Training() bool { return e.tr != nil }

// Train runs batches for about budget (at least one), and reports the last
// batch's progress, any finished epochs, and whether the run is over.
func (e *Engine) Train(budget time.Duration) (p protocol.Progress, epochs []protocol.Epoch, done *protocol.Done, err error) {
	if e.tr == nil {
		return p, nil, nil, errors.New("no training run to continue")
	}
	start := time.Now()
	for {
		bi, ep, err := e.tr.Step()
		if err != nil {
			e.endRun()
			if errors.Is(err, train.ErrDiverged) {
				return p, epochs, nil, e.diverged(bi)
			}
			return p, epochs, nil, err
		}
		p = protocol.Progress{Epoch: bi.Epoch, Epochs: bi.Epochs, Batch: bi.Batch, Batches: bi.Batches, Loss: bi.Loss,
			BatchLoss: bi.BatchLoss, SamplesPerSec: bi.SamplesPerSec, Elapsed: bi.Elapsed.Seconds()}
		if ep != nil {
			pe := protocol.Epoch{Epoch: ep.Epoch, Epochs: ep.Epochs, Loss: ep.Loss, ValLoss: ep.ValLoss,
				Seconds: ep.Duration.Seconds(), SamplesPerSec: ep.SamplesPerSec}
			pe.ValRecon, pe.ValKL, pe.MeanCode = e.penaltyParts()
			if !math.IsNaN(pe.MeanCode) { // as scripts/train records them
				perValue := pe.ValRecon
				if e.model.PerSample {
					perValue /= float64(e.model.Output().Size())
				}
				e.meta["val_"+e.entry.Spec.Loss] = fmt.Sprintf("%.6g", perValue)
				e.meta["mean_code"] = fmt.Sprintf("%.6g", pe.MeanCode)
			}
			if !math.IsNaN(pe.ValKL) {
				e.meta["val_recon"] = fmt.Sprintf("%.6g", pe.ValRecon)
				e.meta["val_kl"] = fmt.Sprintf("%.6g", pe.ValKL)
			}
			epochs = append(epochs, pe)
			e.lastLog = &pe
			e.meta["epochs"] = fmt.Sprint(ep.Epoch)
			e.meta["train_time_s"] = fmt.Sprint(int(bi.Elapsed.Seconds()))
			// The curves travel with the weights (kept, saved, exported), as
			// scripts/train writes them.
			e.meta["loss_history"] = appendCSV(e.meta["loss_history"], ep.Loss)
			e.meta["val_history"] = appendCSV(e.meta["val_history"], ep.ValLoss)
			if !math.IsNaN(ep.ValLoss) {
				e.meta["val_loss"] = fmt.Sprintf("%.4f", ep.ValLoss)
			}
		}
		if e.tr.Done() {
			d := e.finish(false)
			return p, epochs, &d, nil
		}
		if ep != nil || time.Since(start) >= budget {
			return p, epochs, nil, nil
		}
	}
}

// penaltyParts are, for a model with activity penalties or a KL term
// (whose losses include them) and a run with validation digits, the
// reconstruction's val loss alone (on the validation's own draws) and the
// code's mean value: what the penalty costs and what it buys; and a
// variational autoencoder's KL term. NaN otherwise.
func (e *Engine) penaltyParts() (recon, kl, meanCode float64) {
	recon, kl, meanCode = math.NaN(), math.NaN(), math.NaN()
	if len(e.model.Penalties) == 0 || e.val.Len() == 0 {
		return
	}
	var err error
	if recon, err = e.tr.Reconstruction(e.val); err != nil {
		recon = math.NaN()
	}
	if e.model.Samples() {
		if kl, err = train.MeanKL(e.model, e.val); err != nil {
			kl = math.NaN()
		}
	}
	if meanCode, err = train.MeanCode(e.model, e.val); err != nil {
		meanCode = math.NaN()
	}
	return
}

// DivergedError is a run that stopped because its loss stopped being a
// number; the model from before the run (or its last kept epoch) is back on
// show.
type DivergedError struct{ msg string }

func (d *DivergedError) Error() string { return d.msg }
func (d *DivergedError) Unwrap() error { return train.ErrDiverged }

// diverged ends a run whose batch bi made the loss NaN or infinite: the
// weights it leaves are of no use, so the engine shows what was kept
// (this run's last finished epoch, or the model from before it) or the
// pretrained weights, and says what to change.
func (e *Engine) diverged(bi train.BatchInfo) error {
	lr := e.run.LR
	thisRun := e.kept // the run kept its finished epochs (StartTraining clears kept)
	back := "the pretrained weights are back on show"
	if _, err := e.SetModel(e.name); err == nil && e.kept {
		back = "the model kept before this run is back on show"
		if thisRun {
			back = fmt.Sprintf("the model as it was after epoch %s is back on show", e.meta["epochs"])
		}
	}
	advice := fmt.Sprintf("try a learning rate lower than %g (the post's is 0.001)", lr)
	if lr <= 0.001 {
		advice = "try a lower learning rate or a larger batch"
	}
	return &DivergedError{fmt.Sprintf("training stopped at epoch %d, batch %d: the loss is no longer a number (the model diverged); %s. Nothing was lost: %s", bi.Epoch, bi.Batch, advice, back)}
}

func appendCSV(list string, v float64) string {
	s := strconv.FormatFloat(v, 'g', 6, 64)
	if list == "" {
		return s
	}
	return list + "," + s
}

// Stop ends a run early; the model keeps what it has learned.
func (e *Engine) Stop() protocol.Done {
	if e.tr == nil {
		return protocol.Done{Stopped: true, ValLoss: math.NaN()}
	}
	return e.finish(true)
}

func (e *Engine) finish(stopped bool) protocol.Done {
	d := protocol.Done{Stopped: stopped, ValLoss: math.NaN()}
	if e.lastLog != nil {
		d.Epochs, d.ValLoss = e.lastLog.Epoch, e.lastLog.ValLoss
	}
	e.endRun()
	return d
}

func (e *Engine) endRun() {
	if e.tr != nil {
		e.tr.Close()
	}
	e.tr, e.lastLog = nil, nil
}

// Export returns the weights on show as a safetensors file, with what they
// are in its metadata, and a file name for it.
func (e *Engine) Export() (protocol.WeightsFile, error) {
	if e.model == nil {
		return protocol.WeightsFile{}, errors.New("no model loaded yet")
	}
	var b bytes.Buffer
	meta := map[string]string{}
	for k, v := range e.meta {
		meta[k] = v
	}
	if err := weights.Write(&b, e.model, meta); err != nil {
		return protocol.WeightsFile{}, err
	}
	name := e.entry.FileName() + "-" + strings.ReplaceAll(e.meta["source"], " ", "-") + ".safetensors"
	return protocol.WeightsFile{Type: protocol.TWeights, Name: name, Bytes: b.Bytes()}, nil
}

// Import shows weights from a file the reader chose. A file for another
// seed model switches to that model; anything else that does not fit is
// refused with the reason, and the weights on show stay.
func (e *Engine) Import(f protocol.WeightsFile) (protocol.Ready, error) {
	_, meta, err := safetensors.Read(f.Bytes)
	if err != nil {
		return protocol.Ready{}, fmt.Errorf("the file %s is not a weights file this page can read: %w", f.Name, err)
	}
	// A file saved here names its model; one from Python (save_file writes
	// no metadata by default) is tried on the model on show, then on every
	// other: its tensors' names and shapes say which it fits.
	// A file's spec, when it has one, rebuilds its architecture.
	candidates := []string{e.name}
	if name := cmp.Or(meta["spec"], meta["model"]); name != "" {
		entry, err := catalog.Resolve(name)
		if err != nil {
			return protocol.Ready{}, fmt.Errorf("the file %s holds weights for a model this page cannot build: %w", f.Name, err)
		}
		candidates = []string{entry.Name}
	} else {
		for _, n := range catalog.Names() {
			if n != e.name {
				candidates = append(candidates, n)
			}
		}
	}
	var m *nn.Model
	var firstErr error
	for _, name := range candidates {
		c, _ := catalog.New(name)
		if meta, err = weights.Read(f.Bytes, c); err == nil {
			m = c
			break
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("the file %s does not fit %s: %w", f.Name, catalog.Called(name), err)
		}
	}
	if m == nil {
		if len(candidates) > 1 {
			return protocol.Ready{}, fmt.Errorf("the file %s fits none of the models (its tensors' names or shapes differ from each); for the one on show: %w", f.Name, errors.Unwrap(firstErr))
		}
		return protocol.Ready{}, firstErr
	}
	e.endRun()
	if meta["source"] == "" || meta["source"] == "pretrained" {
		meta["source"] = "loaded"
	}
	meta["file"] = f.Name
	e.entry, _ = catalog.Resolve(m.Name)
	e.name, e.model, e.meta, e.kept = m.Name, m, meta, false
	return e.ready(), nil
}

// Decode runs codes through the decoder (the layers after the code).
func (e *Engine) Decode(codes []float32) (protocol.Decoded, error) {
	if e.model == nil || e.model.Decoder() == nil {
		return protocol.Decoded{}, errors.New("this model has no decoder to run")
	}
	dec := e.model.Decoder()
	size := dec.Input.Size()
	if len(codes) == 0 || len(codes)%size != 0 || len(codes) > 1000*size {
		return protocol.Decoded{}, fmt.Errorf("decode takes codes of %d values each, got %d values", size, len(codes))
	}
	n := len(codes) / size
	return protocol.Decoded{N: n, Side: 28, Images: e.predict(dec, codes)}, nil
}
