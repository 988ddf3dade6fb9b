package tsne

import (
	"math"
	"slices"
)

// affinities are the input similarities P, symmetric and summing to 1, as
// a sparse matrix by rows (CSR): row i's entries are cols[rows[i]:rows[i+1]].
type affinities struct {
	rows []int32
	cols []int32
	vals []float64
}

// conditional sets, for each point, the Gaussian over its neighbours whose
// perplexity (2 to the entropy in bits) is perp: p_j|i ∝ exp(−β d_ij), β
// found by bisection. It returns the rows of p_j|i, k to a row.
func conditional(nb neighbours, n int, perp float64) []float64 {
	k := nb.k
	p := make([]float64, n*k)
	target := math.Log(perp)
	for i := 0; i < n; i++ {
		d, row := nb.dist[i*k:(i+1)*k], p[i*k:(i+1)*k]
		beta, lo, hi := 1.0, 0.0, math.Inf(1)
		// Distances relative to the nearest keep exp from underflowing.
		d0 := float64(d[0])
		for range 100 {
			var sum, dsum float64
			for j, v := range d {
				e := math.Exp(-beta * (float64(v) - d0))
				row[j] = e
				sum += e
				dsum += (float64(v) - d0) * e
			}
			h := math.Log(sum) + beta*dsum/sum // the entropy in nats
			for j := range row {
				row[j] /= sum
			}
			if math.Abs(h-target) < 1e-5 {
				break
			}
			if h > target { // too flat: sharpen
				lo = beta
				if math.IsInf(hi, 1) {
					beta *= 2
				} else {
					beta = (beta + hi) / 2
				}
			} else {
				hi = beta
				beta = (beta + lo) / 2
			}
		}
	}
	return p
}

// symmetric is P = (P_cond + P_condᵀ) / 2n over the neighbour graph.
func symmetric(nb neighbours, n int, pc []float64) affinities {
	type edge struct {
		i, j int32
		v    float64
	}
	k := nb.k
	edges := make([]edge, 0, 2*n*k)
	for i := 0; i < n; i++ {
		for c, j := range nb.idx[i*k : (i+1)*k] {
			v := pc[i*k+c] / float64(2*n)
			edges = append(edges, edge{int32(i), j, v}, edge{j, int32(i), v})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if a.i != b.i {
			return int(a.i - b.i)
		}
		return int(a.j - b.j)
	})
	a := affinities{rows: make([]int32, n+1)}
	for e := 0; e < len(edges); {
		f := e
		v := 0.0
		for ; f < len(edges) && edges[f].i == edges[e].i && edges[f].j == edges[e].j; f++ {
			v += edges[f].v
		}
		a.cols = append(a.cols, edges[e].j)
		a.vals = append(a.vals, v)
		a.rows[edges[e].i+1]++
		e = f
	}
	for i := 0; i < n; i++ {
		a.rows[i+1] += a.rows[i]
	}
	return a
}
