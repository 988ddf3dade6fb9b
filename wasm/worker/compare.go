package worker

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"aeplay/nn/catalog"
	"aeplay/nn/encoding/idx"
	"aeplay/nn/pca"
	"aeplay/nn/train"
	"aeplay/wasm/protocol"
)

// PCAPath is where a PCA baseline of k components is.
func PCAPath(k int) string { return "web/models/pca" + strconv.Itoa(k) + ".safetensors" }

// Compare runs the same test digits through every seed model (its
// pretrained weights, or the weights on show if trained or loaded here) and
// the PCA baselines with as many components as the codes, for the table
// and the grid that put the post's claims side by side.
func (e *Engine) Compare(indices []int) (protocol.Compare, error) {
	if e.test == nil || len(indices) == 0 || len(indices) > 20 {
		return protocol.Compare{}, errors.New("compare takes 1 to 20 test digits")
	}
	for _, i := range indices {
		if i < 0 || i >= e.test.N {
			return protocol.Compare{}, fmt.Errorf("test digit %d does not exist", i)
		}
	}
	x := train.Dataset{Images: e.test}.Inputs(indices)
	out := protocol.Compare{N: len(indices), Originals: x}
	var codes []int // the code sizes, for PCA baselines of the same sizes
	for _, entry := range catalog.All() {
		name := entry.Name
		m, meta := e.model, e.meta
		unreadable := ""
		if name != e.name {
			m, _ = catalog.New(name)
			var err error
			if meta, err = e.readKept(m); err != nil { // said in its row; the tab that shows it sets it aside
				unreadable = "; the model kept for it here could not be read, so this is the pretrained one"
			}
			if meta == nil { // a model trained here before, else the pretrained one
				if meta, err = e.loadPretrained(m); err != nil {
					return protocol.Compare{}, err
				}
			}
		}
		// A penalized model's val_loss includes its penalty; its val_bce is
		// the reconstruction's alone, comparable with the others'.
		bce := metaFloat(meta, "val_bce")
		if math.IsNaN(bce) {
			bce = metaFloat(meta, "val_loss")
		}
		row := protocol.CompareRow{Name: name, Params: m.NumParams(), ValBCE: bce, ValMSE: metaFloat(meta, "val_mse"),
			MeanCode: metaFloat(meta, "mean_code"), TrainSec: metaFloat(meta, "train_time_s"), Note: meta["source"] + unreadable}
		if cs := m.CodeShape(); cs != nil {
			row.Code = cs.Size()
			// The denoiser's 1,568-value middle is wider than many a digit's
			// ink; a PCA that size would be no baseline.
			if row.Code <= maxMapCode && !slices.Contains(codes, row.Code) {
				codes = append(codes, row.Code)
			}
		}
		if entry.Noise > 0 {
			row.Note += fmt.Sprintf("; its losses are on noisy test digits (σ %v), its row here on clean ones", entry.Noise)
		}
		out.Rows = append(out.Rows, row)
		out.Recons = append(out.Recons, e.predict(m, x)...)
	}
	slices.Sort(codes)
	for _, k := range codes {
		b, ok := e.pretrained["pca"+strconv.Itoa(k)]
		if !ok {
			var err error
			if b, err = e.fetch.Fetch(PCAPath(k), nil); err != nil {
				return protocol.Compare{}, fmt.Errorf("could not load the PCA baseline (%s): %w", PCAPath(k), err)
			}
			e.pretrained["pca"+strconv.Itoa(k)] = b
		}
		p, meta, err := pca.Read(b)
		if err != nil || p.Dim != 784 {
			return protocol.Compare{}, fmt.Errorf("the PCA baseline %s is damaged: %v", PCAPath(k), err)
		}
		coords := make([]float32, len(indices)*k)
		recon := make([]float32, len(x))
		p.Project(x, len(indices), coords)
		p.Reconstruct(coords, len(indices), recon)
		out.Rows = append(out.Rows, protocol.CompareRow{Name: fmt.Sprintf("PCA %d", k), Params: (k + 1) * 784, Code: k,
			ValBCE: metaFloat(meta, "val_bce"), ValMSE: metaFloat(meta, "val_mse"), MeanCode: math.NaN(), TrainSec: math.NaN(),
			Note: "gonum stat.PC on the 60,000 training digits"})
		for i := range recon { // PCA's reconstructions are not confined to [0, 1]
			recon[i] = min(max(recon[i], 0), 1)
		}
		out.Recons = append(out.Recons, recon...)
	}
	return out, nil
}

func metaFloat(meta map[string]string, key string) float64 {
	if v, err := strconv.ParseFloat(meta[key], 64); err == nil {
		return v
	}
	return math.NaN()
}

// SetData replaces MNIST with the reader's own IDX files (images, and
// labels if given): 28×28 greyscale like MNIST (Fashion-MNIST, say). The
// last seventh (at most 10,000) becomes the test set, as MNIST's split.
// Training and the explorer then use them; the pretrained weights stay
// MNIST's until a model is trained here.
func (e *Engine) SetData(name string, images, labels []byte) (protocol.Ready, error) {
	im, err := idx.ReadImages(bytes.NewReader(images))
	if err != nil {
		return protocol.Ready{}, fmt.Errorf("the file %s is not an IDX image file: %w", name, err)
	}
	if im.Rows != 28 || im.Cols != 28 {
		return protocol.Ready{}, fmt.Errorf("the images in %s are %dx%d; the models here take 28x28 images, as MNIST's", name, im.Rows, im.Cols)
	}
	if im.N < 2 {
		return protocol.Ready{}, fmt.Errorf("the file %s holds %d image; at least 2 are needed", name, im.N)
	}
	lab := make([]uint8, im.N)
	if len(labels) > 0 {
		l, err := idx.ReadLabels(bytes.NewReader(labels))
		if err != nil {
			return protocol.Ready{}, fmt.Errorf("the labels file is not an IDX label file: %w", err)
		}
		if len(l) != im.N {
			return protocol.Ready{}, fmt.Errorf("%s has %d images but the labels file has %d labels", name, im.N, len(l))
		}
		lab = l
	}
	nTest := min(max(1, im.N/7), 10000)
	e.endRun()
	e.train = im.Slice(0, im.N-nTest)
	e.test, e.testLabels = im.Slice(im.N-nTest, im.N), lab[im.N-nTest:]
	e.custom = name
	e.mapPCA = nil
	r := e.ready()
	return r, nil
}
