package catalog

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"aeplay/nn"
	"aeplay/nn/spec"
)

// Entry is one model of the catalogue.
type Entry struct {
	// Name names the model's tab, URL, weights file and kept copy.
	Name string
	// Title is how the page names it.
	Title string
	// Seed: one of the post's four models.
	Seed bool
	// Baseline names the model whose output on the same noisy input is
	// shown beside this one's (the post runs the conv model, trained on
	// clean digits, on noisy ones first); "" for none.
	Baseline string
	// Quick is the quick preset.
	Quick Recipe
	// Custom: a model of the reader's, not in the catalogue (Resolve).
	Custom bool
	// Spec is the model.
	Spec spec.Spec
	// Noise (the spec's training noise σ) and CodeSize (its code's size)
	// are read from Spec, so that a page can tell a denoiser or the model
	// with a plane for a code without building every model.
	Noise     float32
	NoiseKind nn.NoiseKind
	CodeSize  int
}

// Recipe is a training run's size.
type Recipe struct {
	Epochs, Batch, Samples, Val int
}

// SeedRecipe is the post's: 50 epochs of batch 256 on all 60,000 training
// digits, validated on the 10,000 test digits.
func SeedRecipe() Recipe { return Recipe{Epochs: 50, Batch: 256, Samples: 60000, Val: 10000} }

// The models in the spec's text form, as the post builds them.
const (
	simpleSpec = `input(784); dense(32,relu)*; dense(784,sigmoid); loss(bce)`
	deepSpec   = `input(784); dense(128,relu); dense(64,relu); dense(32,relu)*; dense(64,relu); dense(128,relu);
		dense(784,sigmoid); loss(bce)`
	convSpec = `input(28x28x1);
		conv2d(16,3,relu,same); maxpooling2d(2,same); conv2d(8,3,relu,same); maxpooling2d(2,same);
		conv2d(8,3,relu,same,strides=2); flatten*; reshape(4x4x8);
		conv2d(8,3,relu,same); upsampling2d(2); conv2d(8,3,relu,same); upsampling2d(2);
		conv2d(16,3,relu,valid); upsampling2d(2); conv2d(1,3,sigmoid,same); loss(bce)`
	// The post's denoiser has no flat bottleneck; its code is the 7x7x32
	// feature map after the second pool.
	denoiseSpec = `input(28x28x1);
		conv2d(32,3,relu,same); maxpooling2d(2,same); conv2d(32,3,relu,same); maxpooling2d(2,same)*;
		conv2d(32,3,relu,same); upsampling2d(2); conv2d(32,3,relu,same); upsampling2d(2);
		conv2d(1,3,sigmoid,same); noise(0.5); loss(bce)`
	// A deep autoencoder whose code is two numbers, so that codes are
	// points on a plane with nothing hidden. A linear code layer: ReLU
	// would fold the plane into a quadrant.
	// The seed's aside on the conv model: "I tried to use an encoding
	// dimension of 32 like above, but I kept getting subpar results". The
	// conv model with its third convolution cut to 2 filters: 4×4×2.
	conv32Spec = `input(28x28x1);
		conv2d(16,3,relu,same); maxpooling2d(2,same); conv2d(8,3,relu,same); maxpooling2d(2,same);
		conv2d(2,3,relu,same,strides=2); flatten*; reshape(4x4x2);
		conv2d(8,3,relu,same); upsampling2d(2); conv2d(8,3,relu,same); upsampling2d(2);
		conv2d(16,3,relu,valid); upsampling2d(2); conv2d(1,3,sigmoid,same); loss(bce)`
	// The post: "if the encoder/decoder functions are linear, the result
	// spans the space of the PCA solution". Linear layers and squared error,
	// to be seen beside PCA with 32 components in the comparison.
	linearSpec = `input(784); dense(32,linear)*; dense(784,linear); loss(mse)`
	// The post's sparse autoencoder: the simple model with an L1 activity
	// penalty on its code, activity_regularizer=regularizers.l1(10e-5),
	// which drives most of the code's values to 0.
	sparseSpec = `input(784); dense(32,relu,l1=0.0001)*; dense(784,sigmoid); loss(bce)`
	// The post's variational autoencoder: 784 → 64 → a 2-value code drawn
	// from N(z_mean, exp(z_log_var)) → 64 → 784, its loss 784·BCE + KL per
	// digit. Batch 32, as the post's fit.
	vaeSpec      = `input(784); dense(64,relu); sampling(2)*; dense(64,relu); dense(784,sigmoid); loss(bce,sum)`
	latent2dSpec = `input(784); dense(512,relu); dense(128,relu); dense(2,linear)*; dense(128,relu); dense(512,relu);
		dense(784,sigmoid); loss(bce)`
)

// entry makes an entry of a spec's text; the texts above are checked by
// the tests, so a bad one is a programming error.
func entry(e Entry, text string) Entry {
	s, err := spec.Parse(text)
	if err != nil {
		panic("catalog: " + e.Name + ": " + err.Error())
	}
	p, err := s.Plan()
	if err != nil {
		panic("catalog: " + e.Name + ": " + err.Error())
	}
	e.Spec, e.Noise, e.NoiseKind, e.CodeSize = s, float32(s.Noise), spec.NoiseKindOf(s.NoiseKind), p.CodeSize
	return e
}

// catalogue is the models, parsed and planned once: every lookup reads it.
var catalogue = newCatalogue()

// entries returns the models, in the page's order, as a slice the caller
// may keep (the entries' specs are shared and never changed).
func entries() []Entry { return slices.Clone(catalogue) }

// newCatalogue makes the models. The quick presets take seconds with two
// workers in the browser (make bench measures the speeds) and say what
// they are.
func newCatalogue() []Entry {
	return []Entry{
		entry(Entry{Name: "simple", Title: "simple", Seed: true, Quick: Recipe{5, 256, 60000, 10000}}, simpleSpec),
		entry(Entry{Name: "deep", Title: "deep", Seed: true, Quick: Recipe{5, 256, 30000, 5000}}, deepSpec),
		entry(Entry{Name: "conv", Title: "conv", Seed: true, Quick: Recipe{3, 256, 15000, 2000}}, convSpec),
		entry(Entry{Name: "denoise", Title: "denoise", Seed: true, Baseline: "conv", Quick: Recipe{2, 256, 8000, 1000}}, denoiseSpec),
		entry(Entry{Name: "latent2d", Title: "2-D code", Quick: Recipe{5, 256, 30000, 5000}}, latent2dSpec),
		entry(Entry{Name: "conv32", Title: "conv, code 32", Quick: Recipe{3, 256, 15000, 2000}}, conv32Spec),
		entry(Entry{Name: "linear", Title: "linear", Quick: Recipe{5, 256, 60000, 10000}}, linearSpec),
		entry(Entry{Name: "sparse", Title: "sparse", Quick: Recipe{5, 256, 60000, 10000}}, sparseSpec),
		entry(Entry{Name: "vae", Title: "variational", Quick: Recipe{3, 32, 15000, 2000}}, vaeSpec),
	}
}

// All returns every entry, in the page's order.
func All() []Entry { return entries() }

// Names returns every entry's name, in the page's order.
func Names() []string {
	var names []string
	for _, e := range catalogue {
		names = append(names, e.Name)
	}
	return names
}

// SeedNames returns the post's four models, in the order the post
// introduces them.
func SeedNames() []string {
	var names []string
	for _, e := range catalogue {
		if e.Seed {
			names = append(names, e.Name)
		}
	}
	return names
}

// Lookup returns the entry of the given name.
func Lookup(name string) (Entry, bool) {
	for _, e := range catalogue {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// MaxShownCode is the largest code the page draws as an image and the
// explorer maps: a code wider than the digit's 784 pixels (the denoiser's
// 1,568-value feature map) compresses nothing and is no picture of one.
const MaxShownCode = 256

// ShowsCode reports whether the entry's code is small enough to draw.
func (e Entry) ShowsCode() bool { return e.CodeSize > 0 && e.CodeSize <= MaxShownCode }

// Denoiser returns the first entry trained on noisy input.
func Denoiser() Entry {
	for _, e := range catalogue {
		if e.Noise > 0 {
			return e
		}
	}
	panic("catalog: no denoising model")
}

// Plane returns the first entry whose code is two numbers: a point of the
// plane, which the latent map draws as it is.
func Plane() Entry {
	for _, e := range catalogue {
		if e.CodeSize == 2 {
			return e
		}
	}
	panic("catalog: no model with a 2-value code")
}

// New builds a model of the catalogue, or of a spec's text (see Resolve),
// with fresh, zero weights; call Init or load weights next.
func New(model string) (*nn.Model, error) {
	e, err := Resolve(model)
	if err != nil {
		return nil, err
	}
	return e.New()
}

// FileName is how files of the entry's weights are named: its name, or for
// a custom model "custom-" and a hash of its spec (a spec is no file name).
func (e Entry) FileName() string {
	if !e.Custom {
		return e.Name
	}
	h := fnv.New32a()
	h.Write([]byte(e.Name))
	return fmt.Sprintf("custom-%08x", h.Sum32())
}

// CustomTitle is how the page names a model that is not in the catalogue.
const CustomTitle = "your model"

// Called is how a sentence names the model: "the conv model", or "your
// model" for one built from a spec (whose name is its whole text).
func (e Entry) Called() string {
	if e.Custom {
		return CustomTitle
	}
	return "the " + e.Title + " model"
}

// Called names the model of a name or spec as Entry.Called does; a name
// the catalogue cannot resolve is quoted as it is.
func Called(model string) string {
	e, err := Resolve(model)
	if err != nil {
		return fmt.Sprintf("the model %q", model)
	}
	return e.Called()
}

// Resolve returns the entry of a catalogue name or of a spec's text. A
// spec the catalogue has is that entry, whatever its spacing; any other
// valid spec is a custom entry whose Name is the spec's canonical text, so
// that the name identifies the model everywhere a name does (the URL, the
// worker's requests, the kept model's key). An invalid spec's error names
// the layer at fault.
func Resolve(model string) (Entry, error) {
	if !spec.IsText(model) {
		e, ok := Lookup(model)
		if !ok {
			return Entry{}, fmt.Errorf("unknown model %q (the models are %s, or a spec such as input(784);dense(32,relu)*;dense(784,sigmoid))", model, strings.Join(Names(), ", "))
		}
		return e, nil
	}
	s, err := spec.Parse(model)
	if err != nil {
		return Entry{}, err
	}
	return Custom(s)
}

// Custom returns the entry of a spec: the catalogue's if it has the same
// model, else a custom one (trained on the seed's recipe by default).
func Custom(s spec.Spec) (Entry, error) {
	p, err := s.Plan()
	if err != nil {
		return Entry{}, err
	}
	text := s.String()
	for _, e := range catalogue {
		if e.Spec.String() == text {
			return e, nil
		}
	}
	return Entry{Name: text, Title: CustomTitle, Custom: true, Quick: Recipe{3, 256, 10000, 2000}, Spec: s.Clone(), Noise: float32(s.Noise), NoiseKind: spec.NoiseKindOf(s.NoiseKind), CodeSize: p.CodeSize}, nil
}

// New builds the entry's model, with fresh, zero weights.
func (e Entry) New() (*nn.Model, error) { return e.Spec.Build(e.Name) }
