// Command train reproduces the experiments of "Building Autoencoders in
// Keras" natively: it trains one of the seed models on MNIST (or any IDX
// image set of the same kind) with the post's recipe, prints a Keras-like
// log, and writes the weights as safetensors and the post's figures as PNG.
//
//	go run ./scripts/train -model conv -epochs 50 -out web/models/conv.safetensors -figures web/models
//
// With -epochs 0 and -init it only evaluates the given weights; adding
// -annotate writes the val MSE and the mean code it measures into that
// file's metadata (the weights stay as they are), for files trained before
// they were recorded.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"aeplay/internal/numfmt"
	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/spec"
	"aeplay/nn/train"
	"aeplay/nn/weights"
	"aeplay/scripts/internal/mnistdata"
)

type options struct {
	model       string
	epochs      int
	batch       int
	lr          float64
	seed        uint64
	trainSize   int
	noise       float64
	out         string
	figures     string
	summary     bool
	init        string
	data        string
	workers     int
	convWeights string
	annotate    bool
	half        bool
}

func main() {
	var o options
	flag.StringVar(&o.model, "model", "simple", "model: simple, deep, conv, denoise (the post's), latent2d (a 2-value code), or a spec's text (nn/spec)")
	flag.IntVar(&o.epochs, "epochs", 50, "epochs to train (0: only evaluate -init)")
	flag.IntVar(&o.batch, "batch", 256, "batch size")
	flag.Float64Var(&o.lr, "lr", 0.001, "Adam learning rate")
	flag.Uint64Var(&o.seed, "seed", 1, "seed for the initial weights, shuffling and noise")
	flag.IntVar(&o.trainSize, "train-size", 0, "train on the first N training images (0: all)")
	flag.Float64Var(&o.noise, "noise", -1, "the level of the input noise: σ, or p for a model of masking noise (default: the model's, 0.5 for denoise)")
	flag.StringVar(&o.out, "out", "", "write the trained weights to this .safetensors file")
	flag.StringVar(&o.figures, "figures", "", "write the post's figures (PNG) into this directory")
	flag.BoolVar(&o.summary, "summary", false, "print the model summary and exit")
	flag.StringVar(&o.init, "init", "", "start from these weights (.safetensors) instead of random ones")
	flag.StringVar(&o.data, "data", "", "directory with the four MNIST-format IDX files (default: the GoMNIST module's)")
	flag.IntVar(&o.workers, "workers", 0, "goroutines sharing each batch (0: one per core)")
	flag.StringVar(&o.convWeights, "conv-weights", "web/models/conv.safetensors", "denoise only: the trained conv model whose output on noisy digits the figure shows")
	flag.BoolVar(&o.annotate, "annotate", false, "with -epochs 0 and -init: write the measured val MSE and mean code into the -init file's metadata")
	flag.BoolVar(&o.half, "half", false, "store the weights as float16 (safetensors F16), as the site serves its pretrained files: the val loss and measures written are then those of the rounded weights")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(o options, w io.Writer) error {
	entry, err := catalog.Resolve(o.model)
	if err != nil {
		return err
	}
	m, err := entry.New()
	if err != nil {
		return err
	}
	loss := entry.Spec.LossFunc()
	if o.summary {
		fmt.Fprint(w, m.Summary())
		return nil
	}
	if o.epochs < 0 || o.batch <= 0 || o.lr <= 0 || o.trainSize < 0 {
		return errors.New("epochs must be ≥ 0, and batch and lr positive")
	}
	if o.annotate && (o.epochs != 0 || o.init == "") {
		return errors.New("-annotate needs -epochs 0 and the -init file to annotate")
	}
	if o.half && o.out == "" && !o.annotate {
		return errors.New("-half needs -out, or -annotate to rewrite the -init file")
	}
	if o.noise < 0 {
		o.noise = entry.Spec.Noise
	}
	data, err := mnistdata.Load(o.data)
	if err != nil {
		return err
	}
	trainImages := data.Train
	if o.trainSize > 0 && o.trainSize < trainImages.N {
		trainImages = trainImages.Slice(0, o.trainSize)
	}
	trainSet := train.Dataset{Images: trainImages, Noise: float32(o.noise), NoiseKind: entry.NoiseKind, NoiseSeed: o.seed + 1}
	test := train.Dataset{Images: data.Test, Noise: float32(o.noise), NoiseKind: entry.NoiseKind, NoiseSeed: o.seed + 2}

	fmt.Fprint(w, m.Summary())
	var initMeta map[string]string
	if o.init != "" {
		meta, err := weights.ReadFile(o.init, m)
		initMeta = meta
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Loaded %s (%s)\n", o.init, describe(meta))
	} else {
		m.Init(o.seed)
	}
	var hist []train.EpochInfo
	if o.epochs == 0 {
		if o.half {
			if err := roundToHalf(m); err != nil {
				return err
			}
		}
		valLoss, err := train.Evaluate(m, test, loss)
		if err != nil {
			return err
		}
		extra, line, err := measures(m, test, loss)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "val_loss: %.4f - %s\n", valLoss, line)
		if o.annotate {
			if o.half {
				halved(initMeta, valLoss)
			}
			maps.Copy(initMeta, extra)
			if err := weights.WriteFileAs(o.init, m, initMeta, dtype(o)); err != nil {
				return err
			}
			fmt.Fprintf(w, "Wrote %s into %s\n", line, o.init)
		}
	} else {
		tr, err := train.New(m, trainSet, test, train.Config{Epochs: o.epochs, BatchSize: o.batch, LR: float32(o.lr), Seed: o.seed, Workers: o.workers, Loss: loss})
		if err != nil {
			return err
		}
		defer tr.Close()
		fmt.Fprintf(w, "Train on %s samples, validate on %s samples, %d workers, kernel %s\n",
			numfmt.Thousands(trainSet.Len()), numfmt.Thousands(test.Len()), tr.Workers(), tr.Kernel())
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		bar := newProgress(w)
		start := time.Now()
		hist, err = tr.Fit(ctx, bar.batch, func(e train.EpochInfo) bool {
			bar.clear()
			fmt.Fprintf(w, "Epoch %d/%d - %.1fs - %s samples/s - loss: %.4f - val_loss: %.4f\n",
				e.Epoch, e.Epochs, e.Duration.Seconds(), numfmt.Thousands(int(e.SamplesPerSec)), e.Loss, e.ValLoss)
			// Checkpoint every epoch, so that a long run stopped midway
			// keeps what it learned.
			if o.out != "" {
				if err := save(m, o, e.Epoch, tr.History(), time.Since(start), nil); err != nil {
					fmt.Fprintln(os.Stderr, "train: saving checkpoint:", err)
				}
			}
			return true
		})
		bar.clear()
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		if len(hist) == 0 {
			return errors.New("stopped before the first epoch ended; nothing saved")
		}
		took := time.Since(start)
		valLoss := hist[len(hist)-1].ValLoss
		f32Loss := valLoss
		if o.half {
			if err := roundToHalf(m); err != nil {
				return err
			}
			if valLoss, err = train.Evaluate(m, test, loss); err != nil {
				return err
			}
		}
		extra, line, err := measures(m, test, loss)
		if err != nil {
			return err
		}
		if o.half {
			extra["val_loss"] = strconv.FormatFloat(f32Loss, 'g', 6, 64)
			halved(extra, valLoss)
		}
		fmt.Fprintf(w, "Trained %d epochs in %s; final val_loss: %.4f - %s\n", len(hist), took.Round(time.Second), valLoss, line)
		if o.out != "" {
			if err := save(m, o, len(hist), hist, took, extra); err != nil {
				return err
			}
		}
	}
	var convNoisy float64 = math.NaN()
	var conv *nn.Model
	if len(hist) == 0 && o.init != "" {
		hist = historyOf(m, o.init) // evaluating: the curves the weights were trained with
	}
	if entry.Baseline != "" {
		conv, convNoisy, err = convOnNoisy(o, entry.Baseline, test)
		if err != nil {
			fmt.Fprintf(w, "(no conv model on noisy input: %v)\n", err)
		} else {
			fmt.Fprintf(w, "conv model on the same noisy input: val_loss: %.4f\n", convNoisy)
		}
	}
	if o.figures != "" {
		if err := writeFigures(o, entry, m, conv, test, hist); err != nil {
			return err
		}
		fmt.Fprintf(w, "Figures written to %s\n", o.figures)
	}
	return nil
}

// save writes the weights with what produced them in the metadata, so a
// weights file says what it is (the page shows "pretrained: 50 epochs on
// 60,000 digits") and carries its loss curves.
func save(m *nn.Model, o options, epochs int, hist []train.EpochInfo, took time.Duration, extra map[string]string) error {
	var losses, vals []string
	for _, e := range hist {
		losses = append(losses, strconv.FormatFloat(e.Loss, 'g', 6, 64))
		vals = append(vals, strconv.FormatFloat(e.ValLoss, 'g', 6, 64))
	}
	meta := map[string]string{
		"epochs":       strconv.Itoa(epochs),
		"batch_size":   strconv.Itoa(o.batch),
		"lr":           strconv.FormatFloat(o.lr, 'g', -1, 64),
		"seed":         strconv.FormatUint(o.seed, 10),
		"train_size":   strconv.Itoa(trainSize(o)),
		"noise":        strconv.FormatFloat(o.noise, 'g', -1, 64),
		"optimizer":    "adam",
		"loss":         lossName(m),
		"loss_history": strings.Join(losses, ","),
		"val_history":  strings.Join(vals, ","),
		"val_loss":     vals[len(vals)-1],
		"train_time_s": strconv.Itoa(int(took.Seconds())),
		"trained_by":   "aeplay scripts/train, " + runtime.Version(),
	}
	maps.Copy(meta, extra)
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	return weights.WriteFileAs(o.out, m, meta, dtype(o))
}

// dtype is how the weights are stored: F32, or F16 with -half.
func dtype(o options) string {
	if o.half {
		return "F16"
	}
	return "F32"
}

// roundToHalf rounds every weight of m to float16, as a file written with
// -half holds them (and the page then computes with them).
func roundToHalf(m *nn.Model) error {
	var buf bytes.Buffer
	if err := weights.WriteAs(&buf, m, nil, "F16"); err != nil {
		return err
	}
	_, err := weights.Read(buf.Bytes(), m)
	return err
}

// halved records in meta that its weights are float16: the val loss is
// that of the rounded weights, and the one they had as float32 (meta's
// val_loss before, unless an earlier rounding recorded it) is kept as
// val_loss_f32.
func halved(meta map[string]string, valLoss float64) {
	if _, ok := meta["val_loss_f32"]; !ok && meta["val_loss"] != "" {
		meta["val_loss_f32"] = meta["val_loss"]
	}
	meta["val_loss"] = strconv.FormatFloat(valLoss, 'g', 6, 64)
	meta["dtype"] = "F16"
}

// measures are what a weights file records beside its val loss, and
// their line in the log: the val MSE of the reconstruction (the
// comparison's second loss, the one PCA minimises); for a model with
// activity penalties, whose val_loss includes them, the reconstruction's
// val BCE alone (per value, as Keras reports BCE); for a variational
// autoencoder its loss's two terms, the reconstruction (784·BCE per
// digit) and the KL; and the code's mean value on the validation digits,
// the post's encoded_imgs.mean() (how sparse a code is).
func measures(m *nn.Model, test train.Dataset, loss nn.Loss) (map[string]string, string, error) {
	mse, err := train.EvaluatePerValue(m, test, nn.MSE{})
	if err != nil {
		return nil, "", err
	}
	meta := map[string]string{"val_mse": formatMSE(mse)}
	line := fmt.Sprintf("val_mse: %.5f", mse)
	if _, bce := loss.(nn.BCE); bce && (len(m.Penalties) > 0 || m.PerSample) {
		v, err := train.EvaluatePerValue(m, test, loss)
		if err != nil {
			return nil, "", err
		}
		meta["val_bce"] = strconv.FormatFloat(v, 'g', 6, 64)
		line += fmt.Sprintf(" - val_bce: %.4f", v)
	}
	if m.Samples() {
		recon, err := train.EvaluateReconstruction(m, test, loss)
		if err != nil {
			return nil, "", err
		}
		kl, err := train.MeanKL(m, test)
		if err != nil {
			return nil, "", err
		}
		meta["val_recon"] = strconv.FormatFloat(recon, 'g', 6, 64)
		meta["val_kl"] = strconv.FormatFloat(kl, 'g', 6, 64)
		line += fmt.Sprintf(" - reconstruction: %.2f - kl: %.2f", recon, kl)
	}
	if m.Code >= 0 {
		mean, err := train.MeanCode(m, test)
		if err != nil {
			return nil, "", err
		}
		meta["mean_code"] = strconv.FormatFloat(mean, 'g', 6, 64)
		line += fmt.Sprintf(" - mean code: %.4f", mean)
	}
	return meta, line, nil
}

// lossName is the loss as Keras' compile names it, or, summed over a
// digit, as the post's variational autoencoder writes its own.
func lossName(m *nn.Model) string {
	name := "binary_crossentropy"
	if s, err := spec.Parse(m.Spec); err == nil && s.Loss == "mse" {
		name = "mean_squared_error"
	}
	if m.PerSample {
		name = strconv.Itoa(m.Output().Size()) + "*" + name
	}
	if m.Samples() {
		name += "+kl"
	}
	return name
}

func formatMSE(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// historyOf reads the per-epoch losses a weights file records.
func historyOf(m *nn.Model, path string) []train.EpochInfo {
	meta, err := weights.ReadFile(path, m)
	if err != nil {
		return nil
	}
	losses, vals := strings.Split(meta["loss_history"], ","), strings.Split(meta["val_history"], ",")
	var h []train.EpochInfo
	for i := range losses {
		l, err1 := strconv.ParseFloat(losses[i], 64)
		if i >= len(vals) || err1 != nil {
			break
		}
		v, err2 := strconv.ParseFloat(vals[i], 64)
		if err2 != nil {
			break
		}
		h = append(h, train.EpochInfo{Epoch: i + 1, Epochs: len(losses), Loss: l, ValLoss: v})
	}
	return h
}

func trainSize(o options) int {
	if o.trainSize > 0 && o.trainSize < 60000 {
		return o.trainSize
	}
	return 60000
}

func describe(meta map[string]string) string {
	var parts []string
	for _, k := range []string{"model", "epochs", "train_size", "val_loss"} {
		if v, ok := meta[k]; ok {
			parts = append(parts, k+" "+v)
		}
	}
	return strings.Join(parts, ", ")
}

// convOnNoisy loads the trained conv autoencoder and measures it on the
// noisy test set: the post's point that an autoencoder trained on clean
// digits does poorly on noisy ones.
func convOnNoisy(o options, baseline string, test train.Dataset) (*nn.Model, float64, error) {
	conv, _ := catalog.New(baseline)
	if _, err := weights.ReadFile(o.convWeights, conv); err != nil {
		return nil, 0, err
	}
	loss, err := train.Evaluate(conv, test, nil)
	return conv, loss, err
}
