package worker

import (
	"errors"
	"fmt"
	"math"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/train"
	"aeplay/wasm/protocol"
)

// histogramBins is how many bins the code values fall into.
const histogramBins = 40

// CodeHistogram counts the code values of the test digits (all of them,
// fetched first) through the model on show and through the simple model
// as kept or pretrained
// (the sparse model's, without its penalty): the post's point that the
// penalty leaves most values at 0, seen whole.
func (e *Engine) CodeHistogram(progress func(protocol.Download)) (protocol.Histogram, error) {
	if e.model == nil || e.model.Encoder() == nil || e.test == nil {
		return protocol.Histogram{}, errors.New("no model with a code is on show")
	}
	if err := e.fullTestSet(progress); err != nil {
		return protocol.Histogram{}, err
	}
	if size := e.model.CodeShape().Size(); size > maxMapCode {
		return protocol.Histogram{}, fmt.Errorf("%s's code has %d values: the histogram takes codes of at most %d", catalog.Called(e.name), size, maxMapCode)
	}
	models, names := []*nn.Model{e.model}, []string{catalog.Called(e.name)}
	if e.name != "simple" {
		plain, _ := catalog.New("simple")
		meta, err := e.readKept(plain)
		if meta == nil || err != nil {
			if _, err := e.loadPretrained(plain); err != nil {
				return protocol.Histogram{}, err
			}
		}
		models, names = append(models, plain), append(names, catalog.Called("simple"))
	}
	var codes [][]float32
	for _, m := range models {
		codes = append(codes, e.encodeAll(m))
	}
	h := histogram(codes, histogramBins)
	h.Names, h.Digits = names, e.test.N
	return h, nil
}

// encodeAll is the codes of the test digits on hand through m's encoder.
func (e *Engine) encodeAll(m *nn.Model) []float32 {
	enc := m.Encoder()
	x := train.Dataset{Images: e.test}.Inputs(allIndices(e.test.N))
	return e.predict(enc, x)
}

func allIndices(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// histogram bins every series of values over their common range, and
// measures each: its mean and its share of exact zeros (a ReLU code's
// silent units).
func histogram(series [][]float32, bins int) protocol.Histogram {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s {
			lo, hi = min(lo, float64(v)), max(hi, float64(v))
		}
	}
	if !(hi > lo) { // one value, or none: a unit range around it
		lo, hi = lo-0.5, lo+0.5
		if math.IsInf(lo, 0) {
			lo, hi = 0, 1
		}
	}
	h := protocol.Histogram{Edges: make([]float64, bins+1)}
	for i := range h.Edges {
		h.Edges[i] = lo + (hi-lo)*float64(i)/float64(bins)
	}
	for _, s := range series {
		shares := make([]float64, bins)
		var sum float64
		zeros := 0
		for _, v := range s {
			b := min(int((float64(v)-lo)/(hi-lo)*float64(bins)), bins-1)
			shares[b]++
			sum += float64(v)
			if v == 0 {
				zeros++
			}
		}
		n := float64(max(len(s), 1))
		for i := range shares {
			shares[i] /= n
		}
		h.Shares = append(h.Shares, shares)
		h.Means = append(h.Means, sum/n)
		h.Zeros = append(h.Zeros, float64(zeros)/n)
	}
	return h
}
