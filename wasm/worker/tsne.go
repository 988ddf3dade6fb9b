package worker

import (
	"errors"
	"math"
	"time"

	"aeplay/nn/tsne"
	"aeplay/wasm/protocol"
)

// agreementK is how many neighbours in the plane the measure of a
// projection looks at.
const agreementK = 10

// tsneRun is a t-SNE of the latent map's codes under way.
type tsneRun struct {
	run     *tsne.TSNE
	n       int
	labels  []uint8
	mapPts  []float32 // the map's own projection, measured beside t-SNE's
	started time.Time
	points  []float32
}

// StartTSNE starts a t-SNE of the latent map's codes, the test digits'
// through the model as it is: the neighbours and affinities now, the
// iterations in StepTSNE. A run already under way starts over.
func (e *Engine) StartTSNE(progress func(protocol.Download)) (protocol.TSNE, error) {
	e.tsne = nil
	// The codes of the model as it is now: it may have trained since the
	// map was drawn.
	if _, err := e.Latent(progress); err != nil {
		return protocol.TSNE{}, err
	}
	n := e.test.N
	size := len(e.mapCodes) / n
	start := time.Now()
	run, err := tsne.New(e.mapCodes, n, size, tsne.Config{Seed: 1, Kernel: e.k})
	if err != nil {
		return protocol.TSNE{}, err
	}
	e.tsne = &tsneRun{run: run, n: n, labels: e.testLabels, mapPts: e.mapPts, started: start, points: make([]float32, 2*n)}
	return e.tsneFrame(), nil
}

// Embedding reports whether a t-SNE run is under way.
func (e *Engine) Embedding() bool { return e.tsne != nil }

// StepTSNE runs iterations for about budget (at least one) and returns the
// frame; the last one, Done, ends the run and measures it.
func (e *Engine) StepTSNE(budget time.Duration) (protocol.TSNE, error) {
	t := e.tsne
	if t == nil {
		return protocol.TSNE{}, errors.New("no t-SNE under way")
	}
	for start := time.Now(); !t.run.Done(); {
		t.run.Step(1)
		if time.Since(start) >= budget {
			break
		}
	}
	f := e.tsneFrame()
	if t.run.Done() {
		f.Done = true
		f.Agreement = tsne.Agreement(f.Points, t.n, 2, t.labels, agreementK)
		f.MapAgreement = tsne.Agreement(t.mapPts, t.n, 2, t.labels, agreementK)
		e.tsne = nil
	}
	return f, nil
}

// StopTSNE ends the run where it is: its last frame, Stopped.
func (e *Engine) StopTSNE() (protocol.TSNE, error) {
	if e.tsne == nil {
		return protocol.TSNE{}, errors.New("no t-SNE under way")
	}
	f := e.tsneFrame()
	f.Done, f.Stopped = true, true
	e.tsne = nil
	return f, nil
}

func (e *Engine) tsneFrame() protocol.TSNE {
	t := e.tsne
	t.run.Points(t.points)
	return protocol.TSNE{N: t.n, Iter: t.run.Iter(), Iterations: t.run.Iterations(), Points: t.points,
		Agreement: math.NaN(), MapAgreement: math.NaN(), Seconds: time.Since(t.started).Seconds()}
}
