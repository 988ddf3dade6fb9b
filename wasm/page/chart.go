package page

import (
	"math"
	"strconv"
)

// Point is one value of a loss curve at x epochs (fractional for batches).
type Point struct{ X, Y float64 }

// Curves is what the loss chart shows: the running training loss batch by
// batch, the per-epoch training and validation losses, and, faint behind
// them, the curves the pretrained weights were trained with.
type Curves struct {
	Batch, Train, Val          []Point
	PretrainTrain, PretrainVal []Point
	Epochs                     int // the run's length, which fixes the x axis
}

// maxBatchPoints bounds the batch line; older points are thinned, so a long
// run never makes the chart slow to draw.
const maxBatchPoints = 600

// AddBatch appends a batch point, halving the line's resolution when it
// grows past maxBatchPoints.
func (c *Curves) AddBatch(p Point) {
	c.Batch = append(c.Batch, p)
	if len(c.Batch) > maxBatchPoints {
		kept := c.Batch[:0]
		for i := 0; i < len(c.Batch); i += 2 {
			kept = append(kept, c.Batch[i])
		}
		c.Batch = kept
	}
}

// Scale maps data to canvas pixels.
type Scale struct {
	X0, X1, Y0, Y1           float64 // data range
	Left, Right, Top, Bottom float64 // plot area in pixels
	XTicks, YTicks           []float64
}

// X maps an x value to pixels.
func (s Scale) X(v float64) float64 {
	return s.Left + (v-s.X0)/(s.X1-s.X0)*(s.Right-s.Left)
}

// Y maps a y value to pixels (up is larger), no higher than the top edge.
func (s Scale) Y(v float64) float64 {
	return math.Max(s.Top, s.Bottom-(v-s.Y0)/(s.Y1-s.Y0)*(s.Bottom-s.Top))
}

// Layout fits the curves into a w×h canvas with margins for the axes.
func (c *Curves) Layout(w, h, dpr float64) Scale {
	s := Scale{Left: 46 * dpr, Right: w - 10*dpr, Top: 10 * dpr, Bottom: h - 24*dpr}
	// The x axis spans the run (the pretrained curves, drawn for
	// comparison, are cut to it), or the pretrained run when there is no
	// other.
	xmax := float64(c.Epochs)
	// The y axis fits the losses from half an epoch on: a fresh model's
	// loss (the "before training" point and the first batches, about 0.69
	// for BCE) would squeeze the rest of the run and the pretrained curve
	// into a sliver. Those first values are drawn pinned to the top edge
	// (Scale.Y clamps). A run younger than half an epoch fits all it has.
	span := func(from float64) (lo, hi float64) {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, set := range [][]Point{c.Batch, c.Train, c.Val, c.PretrainTrain, c.PretrainVal} {
			for _, p := range set {
				if math.IsNaN(p.Y) || math.IsInf(p.Y, 0) || p.X > xmax || p.X < from {
					continue
				}
				lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
			}
		}
		return lo, hi
	}
	lo, hi := span(0.5)
	if lo > hi {
		lo, hi = span(math.Inf(-1))
	}
	if lo > hi {
		lo, hi = 0, 0.3
	}
	if hi-lo < 1e-3 {
		lo, hi = lo-5e-4, hi+5e-4
	}
	pad := (hi - lo) * 0.05
	s.Y0, s.Y1 = math.Max(0, lo-pad), hi+pad
	s.X0, s.X1 = 0, math.Max(xmax, 1)
	// About one label per 32 px of height and 90 px of width, so a small
	// chart (the embed's) is not crowded.
	s.YTicks = NiceTicks(s.Y0, s.Y1, max(2, min(5, int((s.Bottom-s.Top)/(32*dpr)))))
	s.XTicks = NiceTicks(s.X0, s.X1, max(2, min(6, int((s.Right-s.Left)/(90*dpr)))))
	return s
}

// NiceTicks returns about n round values (1, 2 or 5 times a power of ten
// apart) covering [lo, hi]; at least two when n is, so that a small chart's
// axis still reads as a scale.
func NiceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || n < 1 {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	steps := []float64{mag / 5, mag / 2, mag, 2 * mag, 5 * mag, 10 * mag}
	k := 0
	for k < len(steps)-1 && steps[k] < raw { // the smallest nice step not below raw
		k++
	}
	ticks := ticksAt(lo, hi, steps[k])
	for len(ticks) < min(n, 2) && k > 0 { // too few for a scale: finer
		k--
		ticks = ticksAt(lo, hi, steps[k])
	}
	return ticks
}

// ticksAt returns the multiples of step in [lo, hi], rounded to the step's
// decimals so that labels read 0.6 and not 0.6000000000000001.
func ticksAt(lo, hi, step float64) []float64 {
	decimals := max(0, int(-math.Floor(math.Log10(step)))+1)
	var ticks []float64
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		v, _ := strconv.ParseFloat(strconv.FormatFloat(k*step, 'f', decimals, 64), 64)
		ticks = append(ticks, v)
	}
	return ticks
}
