package pca

import (
	"aeplay/nn/encoding/safetensors"
	"errors"
	"math"
	"sort"
)

// PCA is a principal component analysis of row vectors: the mean and the
// top components, as the rows of Components, by decreasing variance.
//
// It is computed from the covariance matrix with the cyclic Jacobi
// eigenvalue method: a few dozen lines, exact to float64 rounding, and fast
// for the dimensions it meets in the browser (the 32 or 128 values of a
// code). gonum's stat.PC does the same with an SVD, and the tests check the
// two agree; gonum stays out of the WebAssembly, the first download.
type PCA struct {
	Dim        int
	Mean       []float64
	Components [][]float64 // k rows of Dim values, unit length
	Variances  []float64   // the variance along each component
}

// Fit finds the top k principal components of n rows of dim values
// each, stored one after another in x.
func Fit(x []float32, n, dim, k int) (*PCA, error) {
	if n < 2 || dim < 1 || k < 1 || k > dim || len(x) < n*dim {
		return nil, errors.New("nn: Fit needs at least two rows and 1 ≤ k ≤ dim")
	}
	mean := make([]float64, dim)
	for i := 0; i < n; i++ {
		for j, v := range x[i*dim : (i+1)*dim] {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	// Covariance (n-1 denominator, as stat.PC), upper triangle first.
	cov := make([]float64, dim*dim)
	row := make([]float64, dim)
	for i := 0; i < n; i++ {
		for j, v := range x[i*dim : (i+1)*dim] {
			row[j] = float64(v) - mean[j]
		}
		for a := 0; a < dim; a++ {
			ra := row[a]
			if ra == 0 {
				continue
			}
			c := cov[a*dim:]
			for b := a; b < dim; b++ {
				c[b] += ra * row[b]
			}
		}
	}
	for a := 0; a < dim; a++ {
		for b := a; b < dim; b++ {
			cov[a*dim+b] /= float64(n - 1)
			cov[b*dim+a] = cov[a*dim+b]
		}
	}
	vals, vecs := jacobiEigen(cov, dim)
	order := make([]int, dim)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return vals[order[i]] > vals[order[j]] })
	p := &PCA{Dim: dim, Mean: mean}
	for _, c := range order[:k] {
		v := make([]float64, dim)
		for r := 0; r < dim; r++ {
			v[r] = vecs[r*dim+c]
		}
		// A fixed sign (largest entry positive), so results do not flip.
		big := 0
		for r := range v {
			if math.Abs(v[r]) > math.Abs(v[big]) {
				big = r
			}
		}
		if v[big] < 0 {
			for r := range v {
				v[r] = -v[r]
			}
		}
		p.Components = append(p.Components, v)
		p.Variances = append(p.Variances, math.Max(vals[c], 0))
	}
	return p, nil
}

// jacobiEigen diagonalises the symmetric d×d matrix a (destroyed) by cyclic
// Jacobi rotations and returns its eigenvalues and the eigenvectors as the
// columns of v.
func jacobiEigen(a []float64, d int) (vals []float64, v []float64) {
	v = make([]float64, d*d)
	for i := 0; i < d; i++ {
		v[i*d+i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		var off, diag float64
		for p := 0; p < d; p++ {
			diag += a[p*d+p] * a[p*d+p]
			for q := p + 1; q < d; q++ {
				off += a[p*d+q] * a[p*d+q]
			}
		}
		if off <= 1e-30*diag || off == 0 {
			break
		}
		for p := 0; p < d; p++ {
			for q := p + 1; q < d; q++ {
				apq := a[p*d+q]
				if math.Abs(apq) < 1e-300 {
					continue
				}
				theta := (a[q*d+q] - a[p*d+p]) / (2 * apq)
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < d; k++ { // columns p and q of a
					akp, akq := a[k*d+p], a[k*d+q]
					a[k*d+p] = c*akp - s*akq
					a[k*d+q] = s*akp + c*akq
				}
				for k := 0; k < d; k++ { // rows p and q
					apk, aqk := a[p*d+k], a[q*d+k]
					a[p*d+k] = c*apk - s*aqk
					a[q*d+k] = s*apk + c*aqk
				}
				for k := 0; k < d; k++ {
					vkp, vkq := v[k*d+p], v[k*d+q]
					v[k*d+p] = c*vkp - s*vkq
					v[k*d+q] = s*vkp + c*vkq
				}
			}
		}
	}
	vals = make([]float64, d)
	for i := range vals {
		vals[i] = a[i*d+i]
	}
	return vals, v
}

// Project writes the coordinates of n rows of x along the components.
func (p *PCA) Project(x []float32, n int, dst []float32) {
	k := len(p.Components)
	for i := 0; i < n; i++ {
		row := x[i*p.Dim : (i+1)*p.Dim]
		for c, comp := range p.Components {
			var s float64
			for j, v := range row {
				s += (float64(v) - p.Mean[j]) * comp[j]
			}
			dst[i*k+c] = float32(s)
		}
	}
}

// Reconstruct writes mean + Σ coords·component for n points of k
// coordinates: the inverse projection.
func (p *PCA) Reconstruct(coords []float32, n int, dst []float32) {
	k := len(p.Components)
	for i := 0; i < n; i++ {
		out := dst[i*p.Dim : (i+1)*p.Dim]
		for j := range out {
			s := p.Mean[j]
			for c, comp := range p.Components {
				s += float64(coords[i*k+c]) * comp[j]
			}
			out[j] = float32(s)
		}
	}
}

// Read decodes a PCA saved as safetensors (pca/mean [d], pca/components
// [k, d]), as scripts/pca writes them.
func Read(b []byte) (*PCA, map[string]string, error) {
	ts, meta, err := safetensors.Read(b)
	if err != nil {
		return nil, nil, err
	}
	var mean, comps *safetensors.Tensor
	for i := range ts {
		switch ts[i].Name {
		case "pca/mean":
			mean = &ts[i]
		case "pca/components":
			comps = &ts[i]
		}
	}
	if mean == nil || comps == nil || len(mean.Shape) != 1 || len(comps.Shape) != 2 || comps.Shape[1] != mean.Shape[0] {
		return nil, nil, errors.New("not a PCA file: it needs pca/mean [d] and pca/components [k, d]")
	}
	d, k := mean.Shape[0], comps.Shape[0]
	p := &PCA{Dim: d, Mean: make([]float64, d)}
	for j, v := range mean.Data {
		p.Mean[j] = float64(v)
	}
	for c := 0; c < k; c++ {
		row := make([]float64, d)
		for j, v := range comps.Data[c*d : (c+1)*d] {
			row[j] = float64(v)
		}
		p.Components = append(p.Components, row)
	}
	return p, meta, nil
}
