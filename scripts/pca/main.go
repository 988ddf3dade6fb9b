// Command pca computes the PCA baseline of the post's remark that a linear
// autoencoder learns what PCA finds: principal components of the 60,000
// training digits (gonum's stat.PC), as many as a model's code has, and
// their reconstruction losses on the 10,000 test digits. It writes
// web/models/pca<k>.safetensors (tensors pca/mean [784] and pca/components
// [k, 784], the losses in the metadata), which the page loads for its
// comparison.
//
//	go run ./scripts/pca [-k 2,32,128] [-out web/models]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"aeplay/nn"
	"aeplay/nn/encoding/idx"
	"aeplay/nn/encoding/safetensors"
	"aeplay/nn/pca"
	"aeplay/nn/train"
	"aeplay/scripts/internal/mnistdata"
)

func main() {
	ks := flag.String("k", "2,32,128", "numbers of components")
	out := flag.String("out", "web/models", "directory to write")
	flag.Parse()
	if err := run(*ks, *out); err != nil {
		fmt.Fprintln(os.Stderr, "pca:", err)
		os.Exit(1)
	}
}

func run(ks, out string) error {
	data, err := mnistdata.Load("")
	if err != nil {
		return err
	}
	for _, f := range strings.Split(ks, ",") {
		k, err := strconv.Atoi(f)
		if err != nil || k < 1 || k > 784 {
			return fmt.Errorf("bad -k %q", f)
		}
		start := time.Now()
		p, err := fit(data.Train, k)
		if err != nil {
			return err
		}
		bce, mse := Losses(p, data.Test)
		fmt.Printf("PCA %3d components: val BCE %.4f, val MSE %.5f (%s)\n", k, bce, mse, time.Since(start).Round(time.Second))
		if err := save(filepath.Join(out, fmt.Sprintf("pca%d.safetensors", k)), p, bce, mse); err != nil {
			return err
		}
	}
	return nil
}

// fit runs gonum's stat.PC over the training images (pixels in [0, 1]).
func fit(im *idx.Images, k int) (*pca.PCA, error) {
	d := im.Size()
	x := mat.NewDense(im.N, d, nil)
	for i := 0; i < im.N; i++ {
		row := x.RawRowView(i)
		for j, v := range im.Image(i) {
			row[j] = float64(v) / 255
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		return nil, fmt.Errorf("PCA of %d images did not converge", im.N)
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)
	p := &pca.PCA{Dim: d, Mean: make([]float64, d)}
	for j := 0; j < d; j++ {
		p.Mean[j] = stat.Mean(mat.Col(nil, j, x), nil)
	}
	for c := 0; c < k; c++ {
		p.Components = append(p.Components, mat.Col(nil, c, &vecs))
		p.Variances = append(p.Variances, vars[c])
	}
	return p, nil
}

// Losses reconstructs every test image from its k coordinates and returns
// the mean binary cross-entropy (clipped as Keras clips) and squared error.
func Losses(p *pca.PCA, im *idx.Images) (bce, mse float64) {
	d, k := im.Size(), len(p.Components)
	x := make([]float32, d)
	coords := make([]float32, k)
	y := make([]float32, d)
	for i := 0; i < im.N; i++ {
		train.Dataset{Images: im}.Fill([]int{i}, x, nil)
		p.Project(x, 1, coords)
		p.Reconstruct(coords, 1, y)
		bce += nn.BCE{}.Sum(y, x)
		mse += nn.MSE{}.Sum(y, x)
	}
	n := float64(im.N * d)
	return bce / n, mse / n
}

func save(path string, p *pca.PCA, bce, mse float64) error {
	k, d := len(p.Components), p.Dim
	mean := make([]float32, d)
	comps := make([]float32, 0, k*d)
	for j, v := range p.Mean {
		mean[j] = float32(v)
	}
	for _, c := range p.Components {
		for _, v := range c {
			comps = append(comps, float32(v))
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	meta := map[string]string{"model": fmt.Sprintf("pca%d", k), "components": strconv.Itoa(k),
		"val_bce": strconv.FormatFloat(bce, 'g', 6, 64), "val_mse": strconv.FormatFloat(mse, 'g', 6, 64),
		"trained_by": "aeplay scripts/pca (gonum stat.PC on the 60,000 training digits)"}
	err = safetensors.Write(f, []safetensors.Tensor{{Name: "pca/mean", Shape: []int{d}, Data: mean}, {Name: "pca/components", Shape: []int{k, d}, Data: comps}}, meta)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
