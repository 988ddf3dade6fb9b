// Command modeltable prints the README's table of the pretrained weights:
// what each weights file says it was trained with, the val loss it reached
// (its own metadata, written by scripts/train from its log), and how that
// compares with the reference the issue gives.
//
//	go run ./scripts/modeltable [-dir web/models]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"aeplay/nn"
)

// reference is the val BCE a Keras-semantics reference reaches with the
// seed recipe (50 epochs, batch 256, Adam 0.001, all 60,000 digits).
var reference = map[string]float64{"simple": 0.0914, "deep": 0.0821, "conv": 0.0841, "denoise": 0.0947}

func main() {
	dir := flag.String("dir", "web/models", "directory of the weights files")
	flag.Parse()
	fmt.Println("| model | params | epochs | seed | train time | val loss | reference | difference |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, name := range nn.SeedModels {
		m, _ := nn.NewSeedModel(name)
		meta, err := m.LoadWeightsFile(filepath.Join(*dir, name+".safetensors"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "modeltable:", err)
			os.Exit(1)
		}
		val, _ := strconv.ParseFloat(meta["val_loss"], 64)
		secs, _ := strconv.Atoi(meta["train_time_s"])
		fmt.Printf("| %s | %s | %s | %s | %d min | %.4f | %.4f | %+.1f %% |\n", name, nn.Thousands(m.NumParams()),
			meta["epochs"], meta["seed"], (secs+30)/60, val, reference[name], 100*(val/reference[name]-1))
	}
}
