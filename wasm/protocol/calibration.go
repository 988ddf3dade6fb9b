package protocol

import (
	"errors"
	"fmt"
	"math"
)

// TCalibration is the leader's answer, before a run's first epoch, to a
// TrainConfig with Calibrate set: how fast the run trained with each
// worker count it tried, and the count the run then uses.
const TCalibration = "calibration"

// MaxWorkers bounds the worker counts a message may name.
const MaxWorkers = 16

// Calibration is a measurement of worker counts for a model and batch: a
// few training steps of a throwaway copy of the run's model with each of
// Counts (1, 2, … the workers the page started), samples/s for each, and
// Chosen, the fastest.
type Calibration struct {
	Batch         int
	Counts        []int
	SamplesPerSec []float64
	Chosen        int
}

func (m Calibration) Fields() Fields {
	counts := make([]float64, len(m.Counts))
	for i, c := range m.Counts {
		counts[i] = float64(c)
	}
	return Fields{"type": TCalibration, "batch": m.Batch, "counts": counts, "samplesPerSec": m.SamplesPerSec, "chosen": m.Chosen}
}

func DecodeCalibration(o Object) (Calibration, error) {
	r := reader{o: o}
	m := Calibration{Batch: r.int("batch", 0), Counts: r.ints("counts"), SamplesPerSec: r.numbers("samplesPerSec"), Chosen: r.int("chosen", 0)}
	if r.err != nil {
		return m, r.err
	}
	return m, m.Check()
}

// Check reports a calibration that does not hold together: counts from 1
// to MaxWorkers, rising, each with a positive speed, the chosen one among
// them.
func (m Calibration) Check() error {
	if len(m.Counts) == 0 || len(m.Counts) > MaxWorkers || len(m.Counts) != len(m.SamplesPerSec) {
		return fmt.Errorf("protocol: calibration: %d counts and %d speeds", len(m.Counts), len(m.SamplesPerSec))
	}
	chosen := false
	for i, c := range m.Counts {
		if c < 1 || c > MaxWorkers || i > 0 && c <= m.Counts[i-1] {
			return fmt.Errorf("protocol: calibration: worker counts %v do not rise from 1 to %d", m.Counts, MaxWorkers)
		}
		if v := m.SamplesPerSec[i]; !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("protocol: calibration: %v samples/s", v)
		}
		chosen = chosen || c == m.Chosen
	}
	if !chosen {
		return errors.New("protocol: calibration: the chosen count was not measured")
	}
	return nil
}

// Fastest is the measured count that trained fastest (the fewest workers
// of equal speeds).
func (m Calibration) Fastest() int {
	best := 0
	for i := range m.Counts {
		if m.SamplesPerSec[i] > m.SamplesPerSec[best] {
			best = i
		}
	}
	return m.Counts[best]
}

// Speed is the measured samples/s of n workers, 0 if n was not measured.
func (m Calibration) Speed(n int) float64 {
	for i, c := range m.Counts {
		if c == n {
			return m.SamplesPerSec[i]
		}
	}
	return 0
}
