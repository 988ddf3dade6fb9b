package protocol

import (
	"reflect"
	"testing"
)

func TestCalibration(t *testing.T) {
	c := Calibration{Batch: 256, Counts: []int{1, 2}, SamplesPerSec: []float64{96000, 82000}, Chosen: 1}
	got, err := DecodeCalibration(roundTrip(c.Fields()))
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	if c.Fastest() != 1 || c.Speed(2) != 82000 || c.Speed(3) != 0 {
		t.Errorf("fastest %d, speed of 2 %v", c.Fastest(), c.Speed(2))
	}
	if (Calibration{Counts: []int{1, 2, 3}, SamplesPerSec: []float64{5, 9, 9}}).Fastest() != 2 {
		t.Error("of equal speeds the fewer workers are chosen")
	}
	for name, bad := range map[string]Calibration{
		"none":             {Batch: 8, Chosen: 1},
		"falling counts":   {Batch: 8, Counts: []int{2, 1}, SamplesPerSec: []float64{1, 2}, Chosen: 1},
		"zero speed":       {Batch: 8, Counts: []int{1, 2}, SamplesPerSec: []float64{1, 0}, Chosen: 1},
		"unmeasured":       {Batch: 8, Counts: []int{1, 2}, SamplesPerSec: []float64{1, 2}, Chosen: 3},
		"too many workers": {Batch: 8, Counts: []int{1, MaxWorkers + 1}, SamplesPerSec: []float64{1, 2}, Chosen: 1},
		"short speeds":     {Batch: 8, Counts: []int{1, 2}, SamplesPerSec: []float64{1}, Chosen: 1},
	} {
		if _, err := DecodeCalibration(roundTrip(bad.Fields())); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cfg := TrainConfig{Model: "simple", Epochs: 1, Batch: 8, LR: 0.001, Samples: 100, Seed: 1, Workers: 2, Calibrate: true}
	if back, err := DecodeTrainConfig(roundTrip(cfg.Fields())); err != nil || back != cfg {
		t.Errorf("a calibrating run: %+v, %v", back, err)
	}
	cfg.Workers = MaxWorkers + 1
	if err := cfg.Validate(); err == nil {
		t.Error("a run of 17 workers validates")
	}
}
