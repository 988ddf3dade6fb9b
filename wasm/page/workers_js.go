//go:build js && wasm

package page

import (
	"fmt"

	"aeplay/internal/numfmt"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// keptKey is the localStorage key of the kept measurements.
const keptKey = "aeplay.workers.v1"

// workerCounts chooses each run's worker count when the reader has not
// (calibration.go says how), keeps the measurements, and says in the
// header which count is in use and why.
type workerCounts struct {
	why  dom.Element
	kept KeptCounts
	// The run under way: its key and count, and the measurement it trusts
	// (nil while it measures, or when the reader chose the count).
	key     string
	n       int
	trusted *protocol.Calibration
}

func newWorkerCounts() *workerCounts {
	w := &workerCounts{why: dom.ByID("workers-why"), kept: KeptCounts{}}
	if s, ok := dom.Stored(keptKey); ok {
		w.kept = ParseKept(s)
	}
	return w
}

// show says the count the settings' next run will use: the reader's, the
// measured one, or that it will be measured.
func (w *workerCounts) show(s Settings, started int) {
	switch c, ok := w.kept[CountKey(s.Model, s.Batch, cores())]; {
	case s.Workers > 0:
		w.why.SetText("")
	case started == 1:
		w.why.SetText("1 worker")
	case ok && c.Chosen <= started:
		w.why.SetText(WorkersWhy(c))
	default:
		w.why.SetText(fmt.Sprintf("up to %d: measured on the first run", started))
	}
}

// forRun sets cfg's worker count for a run of s on the started workers,
// asking the leader to measure them when nothing kept says which is
// fastest, and returns how the log says it.
func (w *workerCounts) forRun(cfg *protocol.TrainConfig, s Settings, started int) string {
	w.key, w.trusted = CountKey(s.Model, s.Batch, cores()), nil
	cfg.Workers, cfg.Calibrate = started, false
	if s.Workers > 0 || started == 1 {
		w.n = started
		return plural(started, "worker")
	}
	if c, ok := w.kept[w.key]; ok && c.Chosen <= started {
		cfg.Workers, w.n, w.trusted = c.Chosen, c.Chosen, &c
		return plural(c.Chosen, "worker") + ", measured the fastest here"
	}
	cfg.Calibrate, w.n = true, 0
	return fmt.Sprintf("measuring 1 to %d workers first", started)
}

// measured keeps the leader's measurement and shows it.
func (w *workerCounts) measured(c protocol.Calibration) {
	w.kept.Keep(w.key, c)
	dom.Store(keptKey, w.kept.String())
	w.n, w.trusted = c.Chosen, &c
	w.why.SetText(WorkersWhy(c))
}

// observe checks an epoch's speed against the measurement the run
// trusted; far slower, the measurement is dropped (and the returned line
// says so), so the next run measures again.
func (w *workerCounts) observe(samplesPerSec, seconds float64) string {
	if w.trusted == nil || !LooksWrong(*w.trusted, w.n, samplesPerSec, seconds) {
		return ""
	}
	measured := w.trusted.Speed(w.n)
	w.trusted = nil
	delete(w.kept, w.key)
	dom.Store(keptKey, w.kept.String())
	return fmt.Sprintf("This run trains at under half the %s samples/s measured for %s: the next run measures the worker counts again.",
		numfmt.Thousands(int(measured)), plural(w.n, "worker"))
}
