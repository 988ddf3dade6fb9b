package worker

import (
	"errors"
	"fmt"
	"math"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/pca"
	"aeplay/nn/train"
	"aeplay/wasm/protocol"
)

// maxMapCode bounds the code size the latent map projects (the PCA's
// covariance is code×code): the codes the page draws.
const maxMapCode = catalog.MaxShownCode

// Latent encodes every test digit (fetching the whole test set first) and
// maps the codes to 2-D: a PCA of them, or the codes themselves when they
// have two values. The projection is kept, so that DecodePoint can invert
// it.
func (e *Engine) Latent(progress func(protocol.Download)) (protocol.Latent, error) {
	if e.model == nil {
		return protocol.Latent{}, errors.New("no model loaded yet")
	}
	enc := e.model.Encoder()
	if enc == nil || enc.Output().Size() > maxMapCode {
		return protocol.Latent{}, fmt.Errorf("there is no small code in %s to map: the map takes codes of at most %d numbers", catalog.Called(e.name), maxMapCode)
	}
	if err := e.fullTestSet(progress); err != nil {
		return protocol.Latent{}, err
	}
	n, size := e.test.N, enc.Output().Size()
	codes := make([]float32, n*size)
	r := enc.NewRunner(256, e.k)
	idx := make([]int, 0, 256)
	ds := train.Dataset{Images: e.test}
	for lo := 0; lo < n; lo += 256 {
		idx = idx[:0]
		for i := lo; i < min(lo+256, n); i++ {
			idx = append(idx, i)
		}
		ds.Fill(idx, r.Input(), nil)
		copy(codes[lo*size:], r.Forward(len(idx)))
	}
	l := protocol.Latent{N: n, Labels: e.testLabels, CodeSize: size, Points: make([]float32, 2*n)}
	e.mapCodes, e.mapPts = codes, l.Points
	if size == 2 {
		copy(l.Points, codes)
		l.Explained, l.Projection = 1, "code"
		e.mapPCA = nil
		return l, nil
	}
	p, err := pca.Fit(codes, n, size, 2)
	if err != nil {
		return protocol.Latent{}, err
	}
	p.Project(codes, n, l.Points)
	var total float64
	for j := 0; j < size; j++ { // total variance: the trace of the covariance
		var m, s2 float64
		for i := 0; i < n; i++ {
			v := float64(codes[i*size+j])
			m += v
			s2 += v * v
		}
		m /= float64(n)
		total += (s2 - float64(n)*m*m) / float64(n-1)
	}
	if total > 0 {
		l.Explained = (p.Variances[0] + p.Variances[1]) / total
	}
	l.Projection = "pca"
	e.mapPCA = p
	return l, nil
}

// DecodePoint decodes the code at (x, y) of the map: the point taken back
// through the projection, then through the decoder.
func (e *Engine) DecodePoint(x, y float64) (protocol.Decoded, error) {
	if e.model == nil || e.model.Decoder() == nil {
		return protocol.Decoded{}, errors.New("no model with a decoder")
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return protocol.Decoded{}, errors.New("decodePoint: not a point")
	}
	size := e.model.CodeShape().Size()
	code := make([]float32, size)
	switch {
	case size == 2:
		code[0], code[1] = float32(x), float32(y)
	case e.mapPCA != nil && e.mapPCA.Dim == size:
		e.mapPCA.Reconstruct([]float32{float32(x), float32(y)}, 1, code)
	default:
		return protocol.Decoded{}, errors.New("draw the map first: a point has no code without it")
	}
	clampCode(e.model, code)
	return e.Decode(code)
}

// clampCode keeps a code where the encoder's ReLU puts codes (≥ 0), for
// models whose code layer has one (or follows one): the decoder has never
// seen the rest.
func clampCode(m *nn.Model, code []float32) {
	if d, ok := m.Layers[m.Code].(*nn.DenseLayer); ok && d.Act != nn.ReLU {
		return
	}
	if _, ok := m.Layers[m.Code].(*nn.SamplingLayer); ok { // a Gaussian's codes take any value
		return
	}
	for i, v := range code {
		code[i] = max(v, 0)
	}
}

// Interpolate decodes steps codes evenly between those of test digits a
// and b, ends included.
func (e *Engine) Interpolate(a, b, steps int) (protocol.Decoded, error) {
	if e.model == nil || e.model.Encoder() == nil {
		return protocol.Decoded{}, errors.New("this model has no code to interpolate")
	}
	for _, i := range []int{a, b} {
		if err := e.testDigit(i); err != nil {
			return protocol.Decoded{}, err
		}
	}
	if steps < 2 || steps > 32 {
		return protocol.Decoded{}, fmt.Errorf("interpolate takes 2 to 32 steps, not %d", steps)
	}
	enc := e.model.Encoder()
	ends := e.predict(enc, train.Dataset{Images: e.test}.Inputs([]int{a, b}))
	size := enc.Output().Size()
	codes := make([]float32, steps*size)
	for s := 0; s < steps; s++ {
		t := float32(s) / float32(steps-1)
		for j := 0; j < size; j++ {
			codes[s*size+j] = (1-t)*ends[j] + t*ends[size+j]
		}
	}
	d, err := e.Decode(codes)
	if err == nil && len(e.testLabels) == e.test.N {
		d.Labels = []uint8{e.testLabels[a], e.testLabels[b]}
	}
	return d, err
}

// Encode runs a drawn digit (784 values in [0, 1]) through the model, and
// through the pretrained denoising model.
func (e *Engine) Encode(px []float32) (protocol.Encoded, error) {
	if e.model == nil {
		return protocol.Encoded{}, errors.New("no model loaded yet")
	}
	if len(px) != 784 {
		return protocol.Encoded{}, fmt.Errorf("a drawing has 784 pixels, not %d", len(px))
	}
	for _, v := range px {
		if !(v >= 0 && v <= 1) {
			return protocol.Encoded{}, errors.New("a drawing's pixels lie in [0, 1]")
		}
	}
	out := protocol.Encoded{Recon: e.predict(e.model, px)}
	if enc := e.model.Encoder(); enc != nil && e.entry.ShowsCode() {
		out.Code = e.predict(enc, px)
	}
	den := e.model
	if e.entry.Noise == 0 {
		if e.denoise == nil {
			m, _ := catalog.Denoiser().New()
			if _, err := e.loadPretrained(m); err != nil {
				return protocol.Encoded{}, err
			}
			e.denoise = m
		}
		den = e.denoise
	}
	out.Denoised = e.predict(den, px)
	return out, nil
}

// Layers runs one test digit (or a drawn one, pixels, when not nil) through
// the model on show and returns every layer's output, for the view of each
// layer in turn.
func (e *Engine) Layers(index int, pixels []float32) (protocol.Layers, error) {
	if e.model == nil {
		return protocol.Layers{}, errors.New("no model is on show")
	}
	x := pixels
	if x == nil {
		if err := e.testDigit(index); err != nil {
			return protocol.Layers{}, err
		}
		x = train.Dataset{Images: e.test}.Inputs([]int{index})
	} else {
		index = -1
	}
	r := e.model.NewRunner(1, e.k)
	copy(r.Input(), x)
	r.Forward(1)
	out := protocol.Layers{Index: index, Input: x, Code: e.model.Code}
	for i, l := range e.model.Layers {
		out.Names = append(out.Names, l.Name())
		out.Specs = append(out.Specs, e.entry.Spec.Layers[i].String())
		out.Shapes = append(out.Shapes, []int(l.OutputShape()))
		out.Values = append(out.Values, r.Activation(i, 1)...)
	}
	return out, nil
}
