package catalog

import (
	"fmt"
	"strings"

	"aeplay/nn"
)

// Entry is one model of the catalogue.
type Entry struct {
	// Name names the model's tab, URL, weights file and kept copy.
	Name string
	// Title is how the page names it.
	Title string
	// Seed: one of the post's four models.
	Seed bool
	// Noise is σ of the Gaussian noise added to the training input (the
	// denoising experiment); 0 for clean input.
	Noise float32
	// Baseline names the model whose output on the same noisy input is
	// shown beside this one's (the post runs the conv model, trained on
	// clean digits, on noisy ones first); "" for none.
	Baseline string
	// Quick is the quick preset.
	Quick Recipe
	// CodeSize is how many values the model's code has (a test checks it
	// against the built model), so that a page can tell the model with a
	// plane for a code without building every model.
	CodeSize int
	// input, code and layers are what nn.NewModel takes; layers makes
	// them anew at every call.
	input  nn.Shape
	code   int
	layers func() []nn.Layer
}

// Recipe is a training run's size.
type Recipe struct {
	Epochs, Batch, Samples, Val int
}

// SeedRecipe is the post's: 50 epochs of batch 256 on all 60,000 training
// digits, validated on the 10,000 test digits.
func SeedRecipe() Recipe { return Recipe{Epochs: 50, Batch: 256, Samples: 60000, Val: 10000} }

func conv(f int) *nn.Conv2DLayer { return nn.Conv2D(f, 3, 1, nn.Same, nn.ReLU) }

func pool() *nn.MaxPool2DLayer { return nn.MaxPool2D(2, nn.Same) }

// entries are the models, in the page's order. The quick presets take
// seconds with two workers in the browser (make bench measures the
// speeds) and say what they are.
func entries() []Entry {
	return []Entry{
		{Name: "simple", Title: "simple", CodeSize: 32, Seed: true, Quick: Recipe{5, 256, 60000, 10000},
			input: nn.Shape{784}, code: 0, layers: func() []nn.Layer {
				return []nn.Layer{nn.Dense(32, nn.ReLU), nn.Dense(784, nn.Sigmoid)}
			}},
		{Name: "deep", Title: "deep", CodeSize: 32, Seed: true, Quick: Recipe{5, 256, 30000, 5000},
			input: nn.Shape{784}, code: 2, layers: func() []nn.Layer {
				return []nn.Layer{nn.Dense(128, nn.ReLU), nn.Dense(64, nn.ReLU), nn.Dense(32, nn.ReLU),
					nn.Dense(64, nn.ReLU), nn.Dense(128, nn.ReLU), nn.Dense(784, nn.Sigmoid)}
			}},
		{Name: "conv", Title: "conv", CodeSize: 128, Seed: true, Quick: Recipe{3, 256, 15000, 2000},
			input: nn.Shape{28, 28, 1}, code: 5, layers: func() []nn.Layer {
				return []nn.Layer{conv(16), pool(), conv(8), pool(), nn.Conv2D(8, 3, 2, nn.Same, nn.ReLU), nn.Flatten(),
					nn.Reshape(4, 4, 8), conv(8), nn.UpSampling2D(2), conv(8), nn.UpSampling2D(2),
					nn.Conv2D(16, 3, 1, nn.Valid, nn.ReLU), nn.UpSampling2D(2), nn.Conv2D(1, 3, 1, nn.Same, nn.Sigmoid)}
			}},
		// The post's denoiser has no flat bottleneck; its code is the 7x7x32
		// feature map after the second pool.
		{Name: "denoise", Title: "denoise", CodeSize: 1568, Seed: true, Noise: 0.5, Baseline: "conv", Quick: Recipe{2, 256, 8000, 1000},
			input: nn.Shape{28, 28, 1}, code: 3, layers: func() []nn.Layer {
				return []nn.Layer{conv(32), pool(), conv(32), pool(),
					conv(32), nn.UpSampling2D(2), conv(32), nn.UpSampling2D(2), nn.Conv2D(1, 3, 1, nn.Same, nn.Sigmoid)}
			}},
		// A deep autoencoder whose code is two numbers, so that codes are
		// points on a plane with nothing hidden. A linear code layer: ReLU
		// would fold the plane into a quadrant.
		{Name: "latent2d", Title: "2-D code", CodeSize: 2, Quick: Recipe{5, 256, 30000, 5000},
			input: nn.Shape{784}, code: 2, layers: func() []nn.Layer {
				return []nn.Layer{nn.Dense(512, nn.ReLU), nn.Dense(128, nn.ReLU), nn.Dense(2, nn.Linear),
					nn.Dense(128, nn.ReLU), nn.Dense(512, nn.ReLU), nn.Dense(784, nn.Sigmoid)}
			}},
	}
}

// All returns every entry, in the page's order.
func All() []Entry { return entries() }

// Names returns every entry's name, in the page's order.
func Names() []string {
	var names []string
	for _, e := range entries() {
		names = append(names, e.Name)
	}
	return names
}

// SeedNames returns the post's four models, in the order the post
// introduces them.
func SeedNames() []string {
	var names []string
	for _, e := range entries() {
		if e.Seed {
			names = append(names, e.Name)
		}
	}
	return names
}

// Lookup returns the entry of the given name.
func Lookup(name string) (Entry, bool) {
	for _, e := range entries() {
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
	for _, e := range entries() {
		if e.Noise > 0 {
			return e
		}
	}
	panic("catalog: no denoising model")
}

// Plane returns the first entry whose code is two numbers: a point of the
// plane, which the latent map draws as it is.
func Plane() Entry {
	for _, e := range entries() {
		if e.CodeSize == 2 {
			return e
		}
	}
	panic("catalog: no model with a 2-value code")
}

// New builds a model of the catalogue by name, with fresh, zero weights;
// call Init or load weights next.
func New(name string) (*nn.Model, error) {
	e, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown model %q (the models are %s)", name, strings.Join(Names(), ", "))
	}
	return e.New()
}

// New builds the entry's model, with fresh, zero weights.
func (e Entry) New() (*nn.Model, error) {
	return nn.NewModel(e.Name, e.input, e.code, e.layers()...)
}
