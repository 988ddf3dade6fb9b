// Command bench measures training speed in the browser: the playground's
// page (one worker and all workers) against TensorFlow.js 4.22 (cpu, wasm
// and webgl backends, pinned in package.json), in the same headless
// Chromium, at batch 256, and prints a table with the ratios and the
// GFLOP/s reached (from each model's multiply-adds, Model.MACs) with the
// number of workers the page chooses for each model; then, measured in
// the same rounds, the native peers: our Go trainer and PyTorch (the
// models' own exported scripts, torch_bench.py) at 1 and 2 threads, with
// the ratios tab / PyTorch at the same count and native Go / PyTorch at 2.
// Run by `make bench`.
//
//	go run ./scripts/bench [-models simple,deep,conv,denoise] [-seconds 3] [-rounds 3] [-no-native]
//
// A shared machine is noisy (one run can be much slower than the last), so
// it measures in rounds, each of ours and then TensorFlow.js's,
// and reports medians over the rounds, with the lowest and highest of the
// rounds' own ratios: ours and the peer measured at the same time.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chromedp/chromedp"

	"aeplay/internal/numfmt"
	"aeplay/internal/workers"
	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/encoding/idx"
	"aeplay/scripts/internal/browser"
	"aeplay/scripts/internal/mnistdata"
	"aeplay/scripts/internal/site"
)

// trainingFLOP is the training FLOP per image: forward multiply-adds × 2
// (FLOP a multiply-add) × 3 (forward, and backward's two products).
func trainingFLOP(model string) float64 {
	m, err := catalog.New(model)
	if err != nil {
		panic(err)
	}
	return float64(m.MACs()) * 6
}

// samples is how many digits our page trains per epoch in the benchmark:
// enough for a few seconds an epoch.
var samples = map[string]int{"simple": 60000, "deep": 30720, "conv": 15360, "denoise": 5120}

// benchEpochs is how many epochs each measurement trains: the first pays
// for compiling and warming up, the median of the others is reported. The
// dense models' epochs are short, so they take more.
var benchEpochs = map[string]int{"simple": 6, "deep": 5, "conv": 4, "denoise": 4}

func main() {
	models := flag.String("models", strings.Join(catalog.SeedNames(), ","), "models to measure")
	seconds := flag.Float64("seconds", 3, "TensorFlow.js: seconds of training per model and backend")
	rounds := flag.Int("rounds", 3, "rounds of measurements (each: ours, then TensorFlow.js); medians are reported")
	backends := flag.String("backends", "cpu,wasm,webgl", "TensorFlow.js backends")
	flag.BoolVar(&noNative, "no-native", false, "skip the native peers (our Go trainer and PyTorch)")
	flag.Parse()
	if err := run(strings.Split(*models, ","), *backends, *seconds, max(*rounds, 1)); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// noNative skips the native peers.
var noNative bool

type tfjsResult struct {
	Backend, Model, Error string
	SamplesPerSec         float64
}

type ours struct {
	workers       int // asked for; auto: the page's choice
	chosen        int // what the run trained with
	samplesPerSec float64
	memory        int
}

// auto asks for the page's default worker count: measured, not assumed.
const auto = 0

func (o ours) how() string {
	if o.workers == auto {
		return fmt.Sprintf("auto → %s", plural(o.chosen))
	}
	return plural(o.workers)
}

func plural(n int) string {
	if n == 1 {
		return "1 worker"
	}
	return fmt.Sprintf("%d workers", n)
}

// chosen is the page's default run's median samples/s and the worker
// counts it chose in the rounds ("2 workers: 2, 2, 2" says which).
func chosen(runs []ours) string {
	var c []string
	for _, o := range runs {
		c = append(c, strconv.Itoa(o.chosen))
	}
	return strings.Join(c, ", ")
}

func run(models []string, backends string, seconds float64, rounds int) error {
	if err := browser.Check(); err != nil {
		return err
	}
	root, _ := filepath.Abs(".")
	if _, err := os.Stat(filepath.Join(root, "scripts/bench/node_modules/@tensorflow/tfjs/dist/tf.min.js")); err != nil {
		return fmt.Errorf("TensorFlow.js is not installed: run `make bench` (it runs npm ci in scripts/bench)")
	}
	s, err := site.NewSite(root)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", s)
	// The benchmark page and TensorFlow.js, from scripts/bench only.
	mux.Handle("/bench/", http.StripPrefix("/bench/", http.FileServer(http.Dir(filepath.Join(root, "scripts/bench")))))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	tmp, _ := os.MkdirTemp("", "aeplay-bench-")
	defer os.RemoveAll(tmp)
	ctx, cancel := browser.New(tmp, 1280, 900)
	defer cancel()
	cores, err := chromedp.Run(ctx, chromedp.Evaluate[int](`navigator.hardwareConcurrency`))
	if err != nil {
		return err
	}
	all := workers.Default(cores) // the workers the page starts: the most auto tries
	fmt.Printf("Headless Chromium, %d cores reported; batch 256; ours with 1 and %d workers; %d round(s).\n", cores, all, rounds)

	// results[model][workers] and peers[model][backend]: one value a round
	// (NaN where the backend cannot train the model).
	results := map[string]map[int][]ours{}
	peers := map[string]map[string][]float64{}
	version, torchVersion := "", ""
	goNative, torch := perThreads{}, perThreads{}
	var trainSet *idx.Images
	if !noNative {
		data, err := mnistdata.Dir()
		if err != nil {
			return err
		}
		set, err := mnistdata.Load(data)
		if err != nil {
			return err
		}
		trainSet = set.Train.Slice(0, 8192)
	}
	for r := 1; r <= rounds; r++ {
		for _, m := range models {
			if results[m] == nil {
				results[m] = map[int][]ours{}
			}
			// 1 and all workers, then the page's default, auto: it
			// measures the counts on its first run (kept in the
			// browser's storage for the next rounds, as a reader's
			// browser keeps it) and trains with the fastest.
			for _, w := range append(uniq(1, all), auto) {
				o, err := measureOurs(ctx, ts.URL, m, w)
				if err != nil {
					return fmt.Errorf("%s with %d workers: %w", m, w, err)
				}
				fmt.Printf("  round %d: ours %-8s %s: %8.0f samples/s, worker memory %d MB\n", r, m, o.how(), o.samplesPerSec, o.memory>>20)
				results[m][w] = append(results[m][w], o)
			}
		}
		tf, v, err := measureTFJS(ctx, ts.URL, strings.Join(models, ","), backends, seconds)
		if err != nil {
			return err
		}
		version = v
		if !noNative {
			// The native peers in the same round: our Go trainer and PyTorch.
			for _, m := range models {
				for _, th := range nativeThreads {
					v, err := native(m, th, trainSet, seconds)
					if err != nil {
						return fmt.Errorf("native %s: %w", m, err)
					}
					fmt.Printf("  round %d: native Go %-8s %d thread(s): %8.0f samples/s\n", r, m, th, v)
					goNative.add(m, th, v)
				}
			}
			pt, v, err := pytorch(root, tmp, models, nativeThreads, seconds)
			if err != nil {
				return err
			}
			torchVersion = v
			for _, m := range models {
				for _, th := range nativeThreads {
					fmt.Printf("  round %d: PyTorch   %-8s %d thread(s): %8.0f samples/s\n", r, m, th, pt[m][th])
					torch.add(m, th, pt[m][th])
				}
			}
		}
		for _, t := range tf {
			if peers[t.Model] == nil {
				peers[t.Model] = map[string][]float64{}
			}
			if t.Error != "" {
				fmt.Printf("  round %d: TF.js %-6s %-8s: %s\n", r, t.Backend, t.Model, t.Error)
				peers[t.Model][t.Backend] = append(peers[t.Model][t.Backend], math.NaN())
				continue
			}
			fmt.Printf("  round %d: TF.js %-6s %-8s: %8.1f samples/s\n", r, t.Backend, t.Model, t.SamplesPerSec)
			peers[t.Model][t.Backend] = append(peers[t.Model][t.Backend], t.SamplesPerSec)
		}
	}

	fmt.Printf("\nTraining samples/s at batch 256 (TensorFlow.js %s in the same browser), medians of %d round(s); the ratio's range is that of the rounds:\n\n", version, rounds)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "model\tours, 1 worker\tours, %d workers\tpage default (auto), workers\tGFLOP/s\tTF.js cpu\tTF.js wasm\tTF.js webgl\tbest peer\tpage default / best peer\tworker memory\t\n", all)
	for _, m := range models {
		// What a reader gets: the page's own choice of workers for the model.
		want := auto
		med := func(w int) float64 {
			var v []float64
			for _, o := range results[m][w] {
				v = append(v, o.samplesPerSec)
			}
			return median(v)
		}
		peer := map[string]string{}
		bestPeer := make([]float64, rounds) // the best backend, round by round
		for _, b := range []string{"cpu", "wasm", "webgl"} {
			v := peers[m][b]
			if len(v) == 0 {
				continue
			}
			if math.IsNaN(median(v)) {
				peer[b] = "n/a"
				continue
			}
			peer[b] = fmt.Sprintf("%.1f", median(v))
			for r, x := range v {
				if !math.IsNaN(x) {
					bestPeer[r] = max(bestPeer[r], x)
				}
			}
		}
		ratio := func(w int) string {
			var rs []float64
			for r, o := range results[m][w] {
				if bestPeer[r] > 0 {
					rs = append(rs, o.samplesPerSec/bestPeer[r])
				}
			}
			if len(rs) == 0 {
				return "–"
			}
			sort.Float64s(rs)
			if len(rs) == 1 {
				return fmt.Sprintf("%.1f×", rs[0])
			}
			return fmt.Sprintf("%.1f× (%.1f–%.1f)", median(rs), rs[0], rs[len(rs)-1])
		}
		memory := results[m][want][len(results[m][want])-1].memory
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1f\t%s\t%s\t%s\t%.1f\t%s\t%d MB\t\n", m, thousands(med(1)), thousands(med(all)),
			chosen(results[m][auto]), med(want)*trainingFLOP(m)/1e9, or(peer["cpu"]), or(peer["wasm"]), or(peer["webgl"]), median(bestPeer), ratio(want), memory>>20)
	}
	if err := tw.Flush(); err != nil || noNative {
		return err
	}

	fmt.Printf("\nNative peers in the same rounds: our Go trainer (%s kernel) and PyTorch %s (the faster of with and without the machine's OPENBLAS_* settings), samples/s at batch 256, medians; ratios are the rounds' median (lowest–highest):\n\n", nn.NewKernel().Name(), torchVersion)
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "model\tGo, 1 thread\tGo, 2 threads\tPyTorch, 1 thread\tPyTorch, 2 threads\ttab 1 worker / PyTorch 1\ttab 2 workers / PyTorch 2\tGo 2 / PyTorch 2\t\n")
	for _, m := range models {
		tab := func(w int) []float64 {
			var v []float64
			for _, o := range results[m][w] {
				v = append(v, o.samplesPerSec)
			}
			return v
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", m,
			thousands(median(goNative[m][1])), thousands(median(goNative[m][2])), thousands(median(torch[m][1])), thousands(median(torch[m][2])),
			ratios(tab(1), torch[m][1]), ratios(tab(2), torch[m][2]), ratios(goNative[m][2], torch[m][2]))
	}
	return tw.Flush()
}

// nativeThreads are the thread counts the native peers run at: one core,
// and this machine's two (the page's default worker count here).
var nativeThreads = []int{1, 2}

// perThreads holds a value a round by model and thread count.
type perThreads map[string]map[int][]float64

func (p perThreads) add(model string, threads int, v float64) {
	if p[model] == nil {
		p[model] = map[int][]float64{}
	}
	p[model][threads] = append(p[model][threads], v)
}

// ratios is a/b round by round: their median and range.
func ratios(a, b []float64) string {
	var rs []float64
	for r := range min(len(a), len(b)) {
		if b[r] > 0 {
			rs = append(rs, a[r]/b[r])
		}
	}
	if len(rs) == 0 {
		return "–"
	}
	sort.Float64s(rs)
	return fmt.Sprintf("%.2f× (%.2f–%.2f)", median(rs), rs[0], rs[len(rs)-1])
}

// median of v (NaN for none); v is not reordered.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func uniq(a, b int) []int {
	if a == b {
		return []int{a}
	}
	return []int{a, b}
}

func or(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func thousands(v float64) string { return numfmt.Thousands(int(v + 0.5)) }

// chosenLine is the log's word on the count an auto run trained with:
// measured then ("…: training with 2 workers"), or kept ("(2 workers,
// measured the fastest here").
var chosenLine = regexp.MustCompile(`training with (\d+) workers?|\((\d+) workers?, measured the fastest`)

var epochLine = regexp.MustCompile(`Epoch (\d+)/\d+ - [0-9.]+s - ([0-9,]+) samples/s`)

// measureOurs trains with the page itself (what a reader gets) and reads
// the samples/s of epochs 2 on from its log, reporting their median.
func measureOurs(browserCtx context.Context, base, model string, workers int) (ours, error) {
	epochs := benchEpochs[model]
	url := fmt.Sprintf("%s/#model=%s&epochs=%d&batch=256&samples=%d&val=0&autostart=1", base, model, epochs, samples[model])
	if workers != auto {
		url += fmt.Sprintf("&workers=%d", workers)
	}
	// A fresh tab for each measurement: nothing of the last one lingers.
	ctx, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return ours{}, err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	_, err := chromedp.Run(wctx, chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.getElementById("log").textContent.includes("Epoch %d/%d") || !document.getElementById("alert").hidden`, epochs, epochs),
		chromedp.WithPollingInterval(200*time.Millisecond), chromedp.WithPollingTimeout(10*time.Minute)))
	if err != nil {
		return ours{}, err
	}
	log, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("alert").hidden ? document.getElementById("log").textContent : "ERROR " + document.getElementById("alert-msg").textContent`))
	if err != nil {
		return ours{}, err
	}
	var rates []float64
	for _, m := range epochLine.FindAllStringSubmatch(log, -1) {
		if e, _ := strconv.Atoi(m[1]); e >= 2 {
			v, _ := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", ""), 64)
			rates = append(rates, v)
		}
	}
	if len(rates) == 0 {
		return ours{}, fmt.Errorf("no epoch lines in the log: %s", log)
	}
	sps := median(rates)
	mem, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.workerMemory || "0"`))
	memBytes, _ := strconv.Atoi(mem)
	o := ours{workers: workers, chosen: workers, samplesPerSec: sps, memory: memBytes}
	if workers == auto {
		m := chosenLine.FindStringSubmatch(log)
		if m == nil {
			return o, fmt.Errorf("the log does not say which worker count the page chose: %s", log)
		}
		o.chosen, _ = strconv.Atoi(m[1] + m[2])
	}
	return o, nil
}

func measureTFJS(browserCtx context.Context, base, models, backends string, seconds float64) ([]tfjsResult, string, error) {
	url := fmt.Sprintf("%s/bench/tfjs_bench.html?models=%s&backends=%s&seconds=%g", base, models, backends, seconds)
	ctx, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, "", err
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	raw, err := chromedp.Run(wctx, chromedp.Poll[string](`window.benchResult`, chromedp.WithPollingInterval(time.Second), chromedp.WithPollingTimeout(30*time.Minute)))
	if err != nil {
		return nil, "", err
	}
	var res struct {
		TFJS    string
		Results []tfjsResult
	}
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		return nil, "", err
	}
	return res.Results, res.TFJS, nil
}
