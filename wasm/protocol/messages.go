package protocol

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Init tells a worker where the data and weights are, and which model to
// show first. BaseURL ends in a slash; files are fetched relative to it.
type Init struct {
	BaseURL string
	Model   string
}

func (m Init) Fields() Fields { return Fields{"type": TInit, "baseURL": m.BaseURL, "model": m.Model} }

// SetModel switches the worker to a model, with its pretrained weights.
type SetModel struct{ Model string }

func (m SetModel) Fields() Fields { return Fields{"type": TSetModel, "model": m.Model} }

// GridRequest asks for the digit grid of the given test digits: originals,
// codes and reconstructions, and for denoise the noisy input and the conv
// model's output too. Noise is the noisy row's level (σ, or p for
// NoiseKind spec.MaskNoise), NoiseSeed fixes it.
type GridRequest struct {
	Indices   []int
	Noise     float64
	NoiseKind string // "" (Gaussian) or spec.MaskNoise
	NoiseSeed int
	Tag       string // echoed in the reply: "" for the main grid
}

func (m GridRequest) Fields() Fields {
	idx := make([]float64, len(m.Indices))
	for i, v := range m.Indices {
		idx[i] = float64(v)
	}
	return Fields{"type": TGrid, "indices": idx, "noise": m.Noise, "noiseKind": m.NoiseKind, "noiseSeed": m.NoiseSeed, "tag": m.Tag}
}

// TrainConfig is a training run, as the controls set it.
type TrainConfig struct {
	Model      string
	Epochs     int
	Batch      int
	LR         float64
	Samples    int     // training-set size: the first Samples training digits
	ValSamples int     // validation-set size: the first ValSamples test digits
	Noise      float64 // σ, or p for NoiseKind spec.MaskNoise
	NoiseKind  string  // "" (Gaussian) or spec.MaskNoise
	Seed       int
	// Workers is how many workers share the run (the leader counts); with
	// Calibrate, the most to try: the leader measures 1 to Workers on a
	// few steps, answers a Calibration and trains with the fastest.
	Workers   int
	Calibrate bool
}

// Validate reports settings no run can use, worded for the person who set
// them.
func (c TrainConfig) Validate() error {
	var bad []string
	if c.Epochs < 1 || c.Epochs > 1000 {
		bad = append(bad, "epochs must be between 1 and 1000")
	}
	if c.Batch < 1 || c.Batch > 60000 {
		bad = append(bad, "batch size must be between 1 and 60,000")
	}
	if !(c.LR > 0 && c.LR <= 1) {
		bad = append(bad, "learning rate must be above 0 and at most 1")
	}
	if c.Samples < 1 || c.Samples > 60000 {
		bad = append(bad, "training samples must be between 1 and 60,000")
	}
	if c.ValSamples < 0 || c.ValSamples > 10000 {
		bad = append(bad, "validation samples must be between 0 and 10,000")
	}
	if err := CheckNoise(c.NoiseKind, c.Noise); err != nil {
		bad = append(bad, err.Error())
	}
	if c.Seed < 0 {
		bad = append(bad, "seed must not be negative")
	}
	if c.Workers < 0 || c.Workers > MaxWorkers { // 0: one, the leader
		bad = append(bad, fmt.Sprintf("workers must be between 1 and %d", MaxWorkers))
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return nil
}

func (c TrainConfig) Fields() Fields {
	return Fields{"type": TTrain, "model": c.Model, "epochs": c.Epochs, "batch": c.Batch, "lr": c.LR,
		"samples": c.Samples, "valSamples": c.ValSamples, "noise": c.Noise, "noiseKind": c.NoiseKind, "seed": c.Seed, "workers": c.Workers, "calibrate": c.Calibrate}
}

// Ready is a worker's answer to Init and SetModel: the model's summary and
// what its weights are.
type Ready struct {
	Model   string
	Summary string // Keras' summary table
	Layers  []LayerRow
	Params  int
	Code    int // code size; 0 when the model has no code
	// CodeLayer is the index of the code layer in Layers, or -1.
	CodeLayer int
	// Kernel names the kernel the worker computes with (nn.Kernel.Name).
	Kernel  string
	Weights map[string]string
	// TestDigits is how many test digits a grid may pick from: a small
	// sample until training has fetched the whole test set.
	TestDigits int
	// Data names the reader's own data set when it replaced MNIST.
	Data string
	// Kept says the weights on show were kept in this browser from an
	// earlier visit (or are kept now); Notice is something the page should
	// say, such as a kept model that could not be read.
	Kept   bool
	Notice string
	// Previous says an earlier kept model (replaced by a run, a file or
	// Reset) can be brought back with TRestore; SetAside, that a kept
	// file that could not be read is set aside, to fetch with TSetAside.
	Previous, SetAside bool
}

// LayerRow is one line of the summary.
type LayerRow struct {
	Name, Type, Shape string
	Params            int
}

func (m Ready) Fields() Fields {
	f := Fields{"type": TReady, "model": m.Model, "summary": m.Summary, "params": m.Params, "code": m.Code, "codeLayer": m.CodeLayer, "kernel": m.Kernel, "testDigits": m.TestDigits, "data": m.Data,
		"kept": m.Kept, "notice": m.Notice, "previous": m.Previous, "setAside": m.SetAside}
	var names, types, shapes []string
	var params []float64
	for _, l := range m.Layers {
		names, types, shapes = append(names, l.Name), append(types, l.Type), append(shapes, l.Shape)
		params = append(params, float64(l.Params))
	}
	f["layerNames"] = strings.Join(names, "\n")
	f["layerTypes"] = strings.Join(types, "\n")
	f["layerShapes"] = strings.Join(shapes, "\n")
	f["layerParams"] = params
	var meta []string
	for k, v := range m.Weights {
		meta = append(meta, k+"="+v)
	}
	f["weights"] = strings.Join(meta, "\n")
	return f
}

// Grid is the digit grid: n images of side×side pixels per row, in [0, 1].
// Codes holds n codes of CodeSize values (none when the code is too wide
// to draw).
type Grid struct {
	Side, N   int
	Indices   []int
	Labels    []uint8
	Originals []float32
	Codes     []float32
	CodeSize  int
	Recon     []float32
	// A denoiser's grid: its noisy input, and what the model it is shown
	// beside (catalog.Entry.Baseline) makes of it.
	Noisy, Baseline []float32
	Noise           float64
	NoiseKind       string
	Tag             string
}

func (g Grid) Fields() Fields {
	idx := make([]float64, len(g.Indices))
	for i, v := range g.Indices {
		idx[i] = float64(v)
	}
	f := Fields{"type": TGrid, "side": g.Side, "n": g.N, "indices": idx, "labels": g.Labels, "originals": g.Originals,
		"recon": g.Recon, "codeSize": g.CodeSize, "noise": g.Noise, "noiseKind": g.NoiseKind, "tag": g.Tag}
	if g.Codes != nil {
		f["codes"] = g.Codes
	}
	if g.Noisy != nil {
		f["noisy"] = g.Noisy
	}
	if g.Baseline != nil {
		f["baseline"] = g.Baseline
	}
	return f
}

// Download reports progress fetching a file.
type Download struct {
	What          string
	Loaded, Total int // bytes; Total 0 when unknown
}

func (m Download) Fields() Fields {
	return Fields{"type": TDownload, "what": m.What, "loaded": m.Loaded, "total": m.Total}
}

// Progress follows a training run batch by batch.
type Progress struct {
	Epoch, Epochs, Batch, Batches int
	Loss, BatchLoss               float64
	SamplesPerSec                 float64
	Elapsed                       float64 // seconds in this epoch
	Paused                        bool
}

func (m Progress) Fields() Fields {
	return Fields{"type": TProgress, "epoch": m.Epoch, "epochs": m.Epochs, "batch": m.Batch, "batches": m.Batches,
		"loss": m.Loss, "batchLoss": m.BatchLoss, "samplesPerSec": m.SamplesPerSec, "elapsed": m.Elapsed, "paused": m.Paused}
}

// Epoch is one finished epoch: a line of the Keras-like log.
type Epoch struct {
	Epoch, Epochs int
	Loss, ValLoss float64
	// For a model with activity penalties, whose losses include them: the
	// reconstruction's val loss alone and the code's mean value on the
	// validation digits (NaN otherwise). ValRecon is in the loss's units:
	// a variational autoencoder's is 784·BCE per digit, and ValKL its KL
	// term, the rest of its val loss (NaN for other models).
	ValRecon, MeanCode float64
	ValKL              float64
	Seconds            float64
	SamplesPerSec      float64
	Memory             int // bytes of the leader's WebAssembly memory (it only grows)
}

func (m Epoch) Fields() Fields {
	return Fields{"type": TEpoch, "epoch": m.Epoch, "epochs": m.Epochs, "loss": m.Loss, "valLoss": m.ValLoss,
		"valRecon": m.ValRecon, "meanCode": m.MeanCode, "valKL": m.ValKL, "seconds": m.Seconds, "samplesPerSec": m.SamplesPerSec, "memory": m.Memory}
}

// Done ends a training run; Stopped is set when it was stopped early.
type Done struct {
	Epochs  int
	ValLoss float64
	Stopped bool
}

func (m Done) Fields() Fields {
	return Fields{"type": TDone, "epochs": m.Epochs, "valLoss": m.ValLoss, "stopped": m.Stopped}
}

// Error is a failure the page must show in words. Request is the type of
// the request that failed ("" when none did: a run that went wrong, say);
// the envelope's re names which one. Fatal means the worker cannot go on
// (the page offers Reset); otherwise the worker is still usable.
type Error struct {
	Request string
	Message string
	Fatal   bool
}

func (m Error) Fields() Fields {
	return Fields{"type": TError, "request": m.Request, "message": m.Message, "fatal": m.Fatal}
}

func DecodeTrainConfig(o Object) (TrainConfig, error) {
	r := reader{o: o}
	c := TrainConfig{Model: r.model("model"), Epochs: r.int("epochs", 0), Batch: r.int("batch", 0), LR: r.num("lr", 0),
		Samples: r.int("samples", 0), ValSamples: r.int("valSamples", 0), Noise: r.num("noise", 0),
		NoiseKind: r.name("noiseKind"), Seed: r.int("seed", 0), Workers: r.int("workers", 1), Calibrate: r.bool("calibrate")}
	if r.err != nil {
		return c, r.err
	}
	return c, c.Validate()
}

func DecodeReady(o Object) (Ready, error) {
	r := reader{o: o}
	m := Ready{Model: r.model("model"), Summary: r.str("summary"), Params: r.int("params", 0), Code: r.int("code", 0), CodeLayer: r.int("codeLayer", -1), Kernel: r.name("kernel"), TestDigits: r.int("testDigits", 0), Data: r.str("data"),
		Kept: r.bool("kept"), Notice: r.str("notice"), Previous: r.bool("previous"), SetAside: r.bool("setAside")}
	names, types, shapes := splitLines(r.str("layerNames")), splitLines(r.str("layerTypes")), splitLines(r.str("layerShapes"))
	params := r.numbers("layerParams")
	if len(names) != len(types) || len(names) != len(shapes) || len(names) != len(params) {
		return m, fmt.Errorf("protocol: ready: layer columns differ in length")
	}
	for i := range names {
		m.Layers = append(m.Layers, LayerRow{Name: names[i], Type: types[i], Shape: shapes[i], Params: int(params[i])})
	}
	m.Weights = map[string]string{}
	for _, kv := range splitLines(r.str("weights")) {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m.Weights[k] = v
		}
	}
	return m, r.err
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func DecodeGrid(o Object) (Grid, error) {
	r := reader{o: o}
	g := Grid{Side: r.int("side", 0), N: r.int("n", 0), Indices: r.ints("indices"), Labels: r.bytes("labels"),
		Originals: r.floats("originals"), Codes: r.floats("codes"), CodeSize: r.int("codeSize", 0),
		Recon: r.floats("recon"), Noisy: r.floats("noisy"), Baseline: r.floats("baseline"), Noise: r.num("noise", 0), NoiseKind: r.name("noiseKind"), Tag: r.str("tag")}
	if r.err != nil {
		return g, r.err
	}
	px := g.N * g.Side * g.Side
	if len(g.Originals) != px || len(g.Recon) != px || len(g.Codes) != g.N*g.CodeSize && g.Codes != nil ||
		g.Noisy != nil && len(g.Noisy) != px || g.Baseline != nil && len(g.Baseline) != px {
		return g, fmt.Errorf("protocol: grid: arrays do not match %d images of %dx%d", g.N, g.Side, g.Side)
	}
	return g, nil
}

func DecodeDownload(o Object) (Download, error) {
	r := reader{o: o}
	return Download{What: r.str("what"), Loaded: r.int("loaded", 0), Total: r.int("total", 0)}, r.err
}

func DecodeProgress(o Object) (Progress, error) {
	r := reader{o: o}
	m := Progress{Epoch: r.int("epoch", 0), Epochs: r.int("epochs", 0), Batch: r.int("batch", 0), Batches: r.int("batches", 0),
		Loss: r.num("loss", 0), BatchLoss: r.num("batchLoss", 0), SamplesPerSec: r.num("samplesPerSec", 0),
		Elapsed: r.num("elapsed", 0), Paused: r.bool("paused")}
	return m, r.err
}

func DecodeEpoch(o Object) (Epoch, error) {
	r := reader{o: o}
	m := Epoch{Epoch: r.int("epoch", 0), Epochs: r.int("epochs", 0), Loss: nanNum(&r, "loss"), ValLoss: nanNum(&r, "valLoss"),
		ValRecon: optNum(&r, "valRecon"), MeanCode: optNum(&r, "meanCode"), ValKL: optNum(&r, "valKL"),
		Seconds: r.num("seconds", 0), SamplesPerSec: r.num("samplesPerSec", 0), Memory: r.int("memory", 0)}
	return m, r.err
}

// optNum reads a number that may be NaN or absent (NaN).
func optNum(r *reader, key string) float64 {
	if r.o.Get(key) == nil {
		return math.NaN()
	}
	return nanNum(r, key)
}

// nanNum reads a number that may be NaN (a val loss without validation).
func nanNum(r *reader, key string) float64 {
	if v, ok := r.o.Get(key).(float64); ok {
		return v
	}
	return r.num(key, 0)
}

func DecodeDone(o Object) (Done, error) {
	r := reader{o: o}
	return Done{Epochs: r.int("epochs", 0), ValLoss: nanNum(&r, "valLoss"), Stopped: r.bool("stopped")}, r.err
}

func DecodeError(o Object) (Error, error) {
	r := reader{o: o}
	return Error{Request: r.str("request"), Message: r.str("message"), Fatal: r.bool("fatal")}, r.err
}

// Multi-worker training. The page makes one MessageChannel per extra worker
// and gives one end to the leader (worker 0) and the other to the follower;
// during a run the leader and its followers talk over these ports alone,
// so the page's main thread stays out of the training loop.

const (
	TConnect = "connect" // page → worker: {role, index, port}
	TSetup   = "setup"   // leader → follower: the run's TrainConfig
	TShard   = "shard"   // leader → follower: {idx Int32Array, scale}
	TApply   = "apply"   // leader → follower: {grads Float32Array, [idx, scale] as TShard: the next share}
	TEvalReq = "evalReq" // leader → follower: {idx Int32Array}
	TGrads   = "grads"   // follower → leader: {loss, grads Float32Array}
	TEvalRes = "evalRes" // follower → leader: {loss}
)

// Roles of a worker.
const (
	RoleLeader   = "leader"
	RoleFollower = "follower"
)

// Weights files and decoding.
const (
	TExport   = "export"   // page → worker: send the weights on show
	TRestore  = "restore"  // page → worker: swap the kept model with the previous one and show it
	TSetAside = "setAside" // page → worker: send the kept file that could not be read
	TWeights  = "weights"  // worker → page: {name, bytes Uint8Array}, a safetensors file
	TImport   = "import"   // page → worker: {name, bytes Uint8Array}: show these weights
	TDecode   = "decode"   // page → worker: {codes Float32Array}; → {images Float32Array}
)

// WeightsFile is a safetensors file on its way to or from the page.
type WeightsFile struct {
	Type  string // TWeights or TImport
	Name  string
	Bytes []uint8
}

func (m WeightsFile) Fields() Fields { return Fields{"type": m.Type, "name": m.Name, "bytes": m.Bytes} }

// Decoded is the decoder's output for some codes: n images of side×side.
type Decoded struct {
	N, Side int
	Images  []float32
	Tag     string  // what asked: "point", "interpolate" or ""
	Labels  []uint8 // an interpolation's two ends' labels, when known
}

func (m Decoded) Fields() Fields {
	return Fields{"type": TDecode, "n": m.N, "side": m.Side, "images": m.Images, "tag": m.Tag, "labels": m.Labels}
}

func DecodeDecoded(o Object) (Decoded, error) {
	r := reader{o: o}
	m := Decoded{N: r.int("n", 0), Side: r.int("side", 0), Images: r.floats("images"), Tag: r.str("tag"), Labels: r.bytes("labels")}
	if r.err == nil && len(m.Images) != m.N*m.Side*m.Side {
		return m, fmt.Errorf("protocol: decode: %d values for %d images of %dx%d", len(m.Images), m.N, m.Side, m.Side)
	}
	return m, r.err
}

// Exploring what a model learned.
const (
	TLatent      = "latent"      // page → worker: {}; → Latent
	TDecodePoint = "decodePoint" // page → worker: {x, y}; → Decoded (n 1)
	TInterpolate = "interpolate" // page → worker: {a, b, steps}; → Decoded
	TEncode      = "encode"      // page → worker: {pixels Float32Array 784}; → Encoded
	TPeek        = "peek"        // page → worker: {index}; → Grid with tag "peek"
	TLayers      = "layers"      // page → worker: {index}; → Layers
)

// LayersRequest asks for the output of every layer for one test digit,
// or for a drawn one (Pixels, DrawnPixels values in [0, 1]) when given.
type LayersRequest struct {
	Index  int
	Pixels []float32
}

func (m LayersRequest) Fields() Fields {
	f := Fields{"type": TLayers, "index": m.Index}
	if len(m.Pixels) > 0 {
		f["pixels"] = m.Pixels
	}
	return f
}

func DecodeLayersRequest(o Object) (LayersRequest, error) {
	r := reader{o: o}
	m := LayersRequest{Index: r.int("index", -1), Pixels: r.floats("pixels")}
	if r.err != nil {
		return m, r.err
	}
	if m.Pixels == nil {
		if m.Index < 0 {
			return m, fmt.Errorf("protocol: layers: no test digit %d", m.Index)
		}
		return m, nil
	}
	if len(m.Pixels) != DrawnPixels {
		return m, fmt.Errorf("protocol: layers: a drawing has %d pixels, not %d", DrawnPixels, len(m.Pixels))
	}
	for _, v := range m.Pixels {
		if !(v >= 0 && v <= 1) {
			return m, errors.New("protocol: layers: a drawing's pixels lie in [0, 1]")
		}
	}
	m.Index = -1
	return m, nil
}

// MaxLayerValues bounds the values of a Layers message (the layers'
// outputs for one digit: spec.MaxValues).
const MaxLayerValues = 1_000_000

// Layers is each layer's output for one test digit, in order: its Keras
// name, its spec (as the text form writes it: kind and arguments), its
// output shape, and the values, all the layers' concatenated.
type Layers struct {
	Index  int       // the test digit, or -1 for a drawn one
	Input  []float32 // the digit, 784 values
	Names  []string
	Specs  []string
	Shapes [][]int
	Values []float32
	Code   int // the code layer's index
}

func (m Layers) Fields() Fields {
	var dims []float64 // each shape's rank, then its sizes; a structured clone carries float64s
	for _, s := range m.Shapes {
		dims = append(dims, float64(len(s)))
		for _, d := range s {
			dims = append(dims, float64(d))
		}
	}
	return Fields{"type": TLayers, "index": m.Index, "input": m.Input, "names": strings.Join(m.Names, "\n"),
		"specs": strings.Join(m.Specs, "\n"), "dims": dims, "values": m.Values, "code": m.Code}
}

func DecodeLayers(o Object) (Layers, error) {
	r := reader{o: o}
	m := Layers{Index: r.int("index", 0), Input: r.floats("input"), Names: splitLines(r.str("names")),
		Specs: splitLines(r.str("specs")), Values: r.floats("values"), Code: r.int("code", -1)}
	dims := r.ints("dims")
	if r.err != nil {
		return m, r.err
	}
	total := 0
	for i := 0; i < len(dims); {
		rank := dims[i]
		if rank < 1 || rank > 3 || i+1+rank > len(dims) {
			return m, fmt.Errorf("protocol: layers: a shape of rank %d", rank)
		}
		shape := dims[i+1 : i+1+rank]
		size := 1
		for _, d := range shape {
			if d < 1 || d > MaxLayerValues {
				return m, fmt.Errorf("protocol: layers: a dimension of %d", d)
			}
			size *= d
			if size > MaxLayerValues {
				return m, fmt.Errorf("protocol: layers: a layer of more than %d values", MaxLayerValues)
			}
		}
		total += size
		m.Shapes = append(m.Shapes, shape)
		i += 1 + rank
	}
	if len(m.Shapes) != len(m.Names) || len(m.Specs) != len(m.Names) || total != len(m.Values) || len(m.Input) != 784 ||
		m.Code < 0 || m.Code >= len(m.Names) {
		return m, fmt.Errorf("protocol: layers: %d names, %d specs, %d shapes, %d of %d values, code %d", len(m.Names), len(m.Specs), len(m.Shapes), len(m.Values), total, m.Code)
	}
	return m, nil
}

// Latent is the map of the test digits' codes: one 2-D point per digit, by
// a PCA of the codes (or the codes themselves when they have two values).
type Latent struct {
	N          int
	Points     []float32 // x0, y0, x1, y1, ...
	Labels     []uint8
	Explained  float64 // fraction of the codes' variance the two axes keep (1 for a 2-D code)
	CodeSize   int
	Projection string // "pca" or "code" (or, on the page, ProjectionTSNE)
}

// ProjectionTSNE names a map whose points are a t-SNE run's.
const ProjectionTSNE = "tsne"

func (m Latent) Fields() Fields {
	return Fields{"type": TLatent, "n": m.N, "points": m.Points, "labels": m.Labels, "explained": m.Explained,
		"codeSize": m.CodeSize, "projection": m.Projection}
}

func DecodeLatent(o Object) (Latent, error) {
	r := reader{o: o}
	m := Latent{N: r.int("n", 0), Points: r.floats("points"), Labels: r.bytes("labels"), Explained: r.num("explained", 0),
		CodeSize: r.int("codeSize", 0), Projection: r.str("projection")}
	if r.err == nil && (len(m.Points) != 2*m.N || len(m.Labels) != m.N) {
		return m, fmt.Errorf("protocol: latent: %d points and %d labels for %d digits", len(m.Points)/2, len(m.Labels), m.N)
	}
	return m, r.err
}

// THistogram asks for the code values' histogram (a Control); the answer
// is a Histogram.
const THistogram = "histogram"

// Histogram counts the code values of the test digits through the model on
// show and through a plain one to hold it against (the simple model, the
// sparse one's without its penalty): shares of all values in each bin,
// the bins' Edges shared.
type Histogram struct {
	Edges  []float64 // len(bins)+1
	Names  []string
	Shares [][]float64 // per model, one per bin, summing to 1
	Means  []float64   // each model's mean code value
	Zeros  []float64   // each model's share of values exactly 0
	Digits int
}

func (m Histogram) Fields() Fields {
	var shares []float64
	for _, s := range m.Shares {
		shares = append(shares, s...)
	}
	return Fields{"type": THistogram, "edges": m.Edges, "names": strings.Join(m.Names, "\n"), "shares": shares,
		"means": m.Means, "zeros": m.Zeros, "digits": m.Digits}
}

func DecodeHistogram(o Object) (Histogram, error) {
	r := reader{o: o}
	m := Histogram{Edges: r.numbers("edges"), Means: r.numbers("means"), Zeros: r.numbers("zeros"), Digits: r.int("digits", 0)}
	names, shares := r.str("names"), r.numbers("shares")
	if r.err != nil {
		return m, r.err
	}
	m.Names = strings.Split(names, "\n")
	bins := len(m.Edges) - 1
	if bins < 1 || len(m.Names) < 1 || len(shares) != bins*len(m.Names) || len(m.Means) != len(m.Names) || len(m.Zeros) != len(m.Names) {
		return m, fmt.Errorf("protocol: histogram: %d edges, %d names, %d shares", len(m.Edges), len(m.Names), len(shares))
	}
	for i := 1; i < len(m.Edges); i++ {
		if !(m.Edges[i] > m.Edges[i-1]) {
			return m, errors.New("protocol: histogram: its bins' edges do not rise")
		}
	}
	for i := range m.Names {
		m.Shares = append(m.Shares, shares[i*bins:(i+1)*bins])
	}
	return m, nil
}

// t-SNE of the latent map's codes: the page asks once (TTSNE, a Control);
// the worker posts frames as the points move, the last one (Done) in
// answer to the request; TTSNEStop ends a run early, its last frame
// marked Stopped.
const (
	TTSNE     = "tsne"
	TTSNEStop = "tsneStop"
)

// TSNE is a frame of a t-SNE run: the test digits' points in the plane
// after Iter of Iterations iterations. The last frame also measures the
// run: the share of each point's 10 nearest neighbours in the plane with
// its label, for t-SNE and for the map's own projection (NaN before).
type TSNE struct {
	N, Iter, Iterations int
	Points              []float32
	Done, Stopped       bool
	Agreement           float64
	MapAgreement        float64
	Seconds             float64
}

func (m TSNE) Fields() Fields {
	return Fields{"type": TTSNE, "n": m.N, "iter": m.Iter, "iterations": m.Iterations, "points": m.Points, "done": m.Done,
		"stopped": m.Stopped, "agreement": m.Agreement, "mapAgreement": m.MapAgreement, "seconds": m.Seconds}
}

func DecodeTSNE(o Object) (TSNE, error) {
	r := reader{o: o}
	m := TSNE{N: r.int("n", 0), Iter: r.int("iter", 0), Iterations: r.int("iterations", 0), Points: r.floats("points"),
		Done: r.bool("done"), Stopped: r.bool("stopped"), Agreement: optNum(&r, "agreement"), MapAgreement: optNum(&r, "mapAgreement"),
		Seconds: r.num("seconds", 0)}
	switch {
	case r.err != nil:
		return m, r.err
	case len(m.Points) != 2*m.N:
		return m, fmt.Errorf("protocol: tsne: %d values for %d points", len(m.Points), m.N)
	case !finite(m.Points):
		return m, errors.New("protocol: tsne: a point is not a number")
	case m.Iter < 0 || m.Iter > m.Iterations:
		return m, fmt.Errorf("protocol: tsne: iteration %d of %d", m.Iter, m.Iterations)
	}
	return m, nil
}

// Encoded is what a model makes of one drawn digit.
type Encoded struct {
	Code     []float32
	Recon    []float32 // 784
	Denoised []float32 // 784: the denoising model's output on the drawing
}

func (m Encoded) Fields() Fields {
	return Fields{"type": TEncode, "code": m.Code, "recon": m.Recon, "denoised": m.Denoised}
}

func DecodeEncoded(o Object) (Encoded, error) {
	r := reader{o: o}
	m := Encoded{Code: r.floats("code"), Recon: r.floats("recon"), Denoised: r.floats("denoised")}
	if r.err == nil && (len(m.Recon) != 784 || len(m.Denoised) != 784) {
		return m, fmt.Errorf("protocol: encode: images of %d and %d values", len(m.Recon), len(m.Denoised))
	}
	return m, r.err
}

const (
	TCompare = "compare" // page → worker: {indices}; → Compare
	TData    = "data"    // page → worker: {name, images Uint8Array, labels Uint8Array}; → Ready
)

// CompareRow is one model (or PCA baseline) in the comparison.
type CompareRow struct {
	Name     string
	Params   int
	Code     int
	ValBCE   float64 // on the whole test set, as trained (NaN when unknown)
	ValMSE   float64
	MeanCode float64 // the code's mean on the test digits (NaN when unknown)
	TrainSec float64
	Note     string
}

// Compare is the comparison: a row per model, and each model's
// reconstructions of the same n digits (rows of n×784, in row order).
type Compare struct {
	Rows      []CompareRow
	N         int
	Originals []float32
	Recons    []float32
}

func (m Compare) Fields() Fields {
	var names, notes []string
	var nums []float64
	for _, r := range m.Rows {
		names, notes = append(names, r.Name), append(notes, r.Note)
		nums = append(nums, float64(r.Params), float64(r.Code), r.ValBCE, r.ValMSE, r.MeanCode, r.TrainSec)
	}
	return Fields{"type": TCompare, "names": strings.Join(names, "\n"), "notes": strings.Join(notes, "\n"), "nums": nums,
		"n": m.N, "originals": m.Originals, "recons": m.Recons}
}

func DecodeCompare(o Object) (Compare, error) {
	r := reader{o: o}
	names, notes := splitLines(r.str("names")), splitLines(r.str("notes"))
	nums := r.numbers("nums")
	m := Compare{N: r.int("n", 0), Originals: r.floats("originals"), Recons: r.floats("recons")}
	if r.err != nil {
		return m, r.err
	}
	const cols = 6
	if len(nums) != cols*len(names) || len(notes) != len(names) || len(m.Recons) != len(names)*m.N*784 {
		return m, fmt.Errorf("protocol: compare: columns differ in length")
	}
	for i, name := range names {
		c := nums[cols*i : cols*(i+1)]
		m.Rows = append(m.Rows, CompareRow{Name: name, Note: notes[i], Params: int(c[0]), Code: int(c[1]),
			ValBCE: c[2], ValMSE: c[3], MeanCode: c[4], TrainSec: c[5]})
	}
	return m, nil
}
