package page

import (
	"strings"
	"testing"

	"aeplay/wasm/protocol"
)

func TestWorkersWhy(t *testing.T) {
	for _, c := range []struct {
		cal  protocol.Calibration
		want string
	}{
		{protocol.Calibration{Counts: []int{1, 2}, SamplesPerSec: []float64{96000, 82000}, Chosen: 1}, "1 worker: 2 were slower for this model here"},
		{protocol.Calibration{Counts: []int{1, 2}, SamplesPerSec: []float64{3000, 5000}, Chosen: 2}, "2 workers: 1 was slower for this model here"},
		{protocol.Calibration{Counts: []int{1, 2, 3, 4}, SamplesPerSec: []float64{1, 4, 3, 2}, Chosen: 2}, "2 workers: 1, 3 and 4 were slower for this model here"},
		{protocol.Calibration{Counts: []int{1}, SamplesPerSec: []float64{1}, Chosen: 1}, "1 worker"},
	} {
		if got := WorkersWhy(c.cal); got != c.want {
			t.Errorf("%v: %q, want %q", c.cal.Counts, got, c.want)
		}
	}
	line := CalibrationLine(protocol.Calibration{Counts: []int{1, 2}, SamplesPerSec: []float64{96061.2, 82000}, Chosen: 1})
	if line != "Measured 1 worker 96,061 samples/s, 2 workers 82,000 samples/s: training with 1 worker" {
		t.Errorf("log line %q", line)
	}
}

// TestKeptCounts: measurements survive the round trip through storage;
// a damaged or forged value is dropped, not trusted; the store is bounded.
func TestKeptCounts(t *testing.T) {
	k := KeptCounts{}
	c := protocol.Calibration{Batch: 8, Counts: []int{1, 2}, SamplesPerSec: []float64{9, 5}, Chosen: 1}
	k.Keep(CountKey("simple", 8, 2), c)
	back := ParseKept(k.String())
	if got, ok := back[CountKey("simple", 8, 2)]; !ok || got.Chosen != 1 || got.Speed(2) != 5 {
		t.Fatalf("read back %+v from %s", back, k)
	}
	for _, bad := range []string{"", "{", "null", "x\t1\t 2:1 1:2", "x\t1\t 1:-1", "x\t9\t 1:1 2:2", "x\t1\t 1:NaN",
		"x\t1\t 1:1 2:x", "x\t1", "x\t1\t" + strings.Repeat(" 1:1", 20), strings.Repeat(" ", maxKeptBytes+1) + "x\t1\t 1:1"} {
		if got := ParseKept(bad); len(got) != 0 {
			t.Errorf("%.60q kept %v", bad, got)
		}
	}
	for i := range 2 * maxKept {
		k.Keep(CountKey("m", i, 2), c)
	}
	if len(k) != maxKept || len(ParseKept(k.String())) != maxKept {
		t.Errorf("%d measurements kept, at most %d", len(k), maxKept)
	}
	if !LooksWrong(c, 1, 4, 10) || LooksWrong(c, 1, 5, 10) || LooksWrong(c, 3, 1, 10) || LooksWrong(c, 1, 1, 0.5) {
		t.Error("LooksWrong: an epoch of some length under half its measurement, and only then")
	}
}
