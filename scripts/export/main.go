// Command export writes a model as code: Keras 3, a PyTorch script or a
// TensorFlow.js Layers program, the texts the page's code panel shows.
//
//	go run ./scripts/export -model conv -to pytorch > conv.py
//	go run ./scripts/export -model 'input(784);dense(32,linear)*;dense(784,linear);loss(mse)' -to keras
//
// The recipe defaults to the post's (50 epochs, batch 256, Adam 0.001, the
// model's own training noise).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"aeplay/nn/catalog"
	"aeplay/nn/export"
)

func main() {
	model := flag.String("model", "simple", "a catalogue model's name or a spec's text (nn/spec)")
	to := flag.String("to", "keras", "keras, pytorch or tfjs")
	epochs := flag.Int("epochs", 50, "epochs in the recipe")
	batch := flag.Int("batch", 256, "batch size in the recipe")
	lr := flag.Float64("lr", 0.001, "Adam's learning rate in the recipe")
	noise := flag.Float64("noise", -1, "the level of the training noise: σ, or p of masking (default: the model's)")
	flag.Parse()
	if err := run(os.Stdout, *model, *to, export.Recipe{Epochs: *epochs, Batch: *batch, LR: *lr, Noise: *noise}); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, model, to string, r export.Recipe) error {
	e, err := catalog.Resolve(model)
	if err != nil {
		return err
	}
	if r.Noise < 0 {
		r.Noise = e.Spec.Noise
	}
	r.NoiseKind = e.Spec.NoiseKind // a masking model's level is a probability
	var text string
	switch to {
	case "keras":
		text, err = export.Keras(e.Spec, r)
	case "pytorch":
		text, err = export.PyTorch(e.Spec, r, e.Name)
	case "tfjs":
		text, err = export.TFJS(e.Spec)
	default:
		return fmt.Errorf("-to %q: keras, pytorch or tfjs", to)
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, text)
	return err
}
