// Command modeltable prints the README's table of the pretrained weights:
// what each weights file says it was trained with, the val losses it
// reached (its own metadata, written by scripts/train), how that compares
// with the Keras-compatible reference of the same recipe, and the PCA
// baselines beside them (written by scripts/pca).
//
//	go run ./scripts/modeltable [-dir web/models]
package main

import (
	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/nn/pca"
	"aeplay/nn/weights"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// reference is the val loss a Keras-semantics reference (PyTorch) reaches
// with the post's recipe (batch 256, Adam 0.001, all 60,000 digits, 50
// epochs; 100 for sparse, whose val loss includes its penalty, as Keras
// reports it, and for vae, batch 32, whose val loss is 784·BCE + KL per
// digit with z drawn).
var reference = map[string]float64{"simple": 0.0914, "deep": 0.0821, "conv": 0.0841, "denoise": 0.0947, "sparse": 0.0958, "vae": 151.86}

// loss writes a loss with 4 decimals, or 2 for a loss per digit (about
// 150).
func loss(v float64) string {
	if v >= 10 {
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.4f", v)
}

func main() {
	dir := flag.String("dir", "web/models", "directory of the weights files")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "modeltable:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	fmt.Println("| model | params | code | epochs | seed | train time | val loss | val BCE | val MSE | mean code | reference | difference |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, name := range catalog.Names() {
		m, _ := catalog.New(name)
		meta, err := weights.ReadFile(filepath.Join(dir, name+".safetensors"), m)
		if err != nil {
			return err
		}
		val, mse := num(meta["val_loss"]), num(meta["val_mse"])
		secs, _ := strconv.Atoi(meta["train_time_s"])
		ref, diff := "–", "–"
		if r, ok := reference[name]; ok {
			ref, diff = loss(r), fmt.Sprintf("%+.1f %%", 100*(val/r-1))
		}
		// The val BCE is the reconstruction's: a penalized model's val loss
		// includes its penalty, an MSE model's is no BCE.
		bce := "–"
		if e, _ := catalog.Resolve(name); e.Spec.Loss == "bce" {
			bce = fmt.Sprintf("%.4f", val)
			if v, ok := meta["val_bce"]; ok {
				bce = fmt.Sprintf("%.4f", num(v))
			}
		}
		mean := "–"
		if v, ok := meta["mean_code"]; ok {
			mean = fmt.Sprintf("%.3f", num(v))
		}
		fmt.Printf("| %s | %s | %d | %s | %s | %d min | %s | %s | %.5f | %s | %s | %s |\n", name, numfmt.Thousands(m.NumParams()),
			m.CodeShape().Size(), meta["epochs"], meta["seed"], (secs+30)/60, loss(val), bce, mse, mean, ref, diff)
	}
	for _, k := range []int{2, 32, 128} {
		b, err := os.ReadFile(filepath.Join(dir, "pca"+strconv.Itoa(k)+".safetensors"))
		if err != nil {
			return err
		}
		p, meta, err := pca.Read(b)
		if err != nil {
			return err
		}
		fmt.Printf("| PCA %d | %s | %d | – | – | – | – | %.4f | %.5f | – | – | – |\n", k, numfmt.Thousands((len(p.Components)+1)*p.Dim), k,
			num(meta["val_bce"]), num(meta["val_mse"]))
	}
	return nil
}

func num(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return v
}
