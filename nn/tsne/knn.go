package tsne

import (
	"container/heap"

	"aeplay/nn"
)

// neighbours are each point's k nearest others: indices and squared
// distances, k to a row, nearest first.
type neighbours struct {
	k    int
	idx  []int32
	dist []float32
}

// knn finds the k nearest neighbours of every one of n points of dim
// values (x row by row), by squared Euclidean distance: |a|² + |b|² −
// 2a·b, the products a block of rows at a time through kernel's GEMM, so
// that memory stays at block×n floats.
func knn(x []float32, n, dim, k int, kernel nn.Kernel) neighbours {
	const block = 128
	norms := make([]float32, n)
	for i := range norms {
		var s float32
		for _, v := range x[i*dim : (i+1)*dim] {
			s += v * v
		}
		norms[i] = s
	}
	nb := neighbours{k: k, idx: make([]int32, n*k), dist: make([]float32, n*k)}
	dots := make([]float32, block*n)
	h := &maxHeap{}
	for lo := 0; lo < n; lo += block {
		b := min(block, n-lo)
		// dots[r][j] = x[lo+r] · x[j]
		kernel.Gemm(false, true, b, n, dim, 1, x[lo*dim:], dim, x, dim, 0, dots, n)
		for r := 0; r < b; r++ {
			i := lo + r
			h.reset(k)
			row := dots[r*n : (r+1)*n]
			for j, d := range row {
				if j == i {
					continue
				}
				h.offer(int32(j), max(norms[i]+norms[j]-2*d, 0))
			}
			h.sorted(nb.idx[i*k:(i+1)*k], nb.dist[i*k:(i+1)*k])
		}
	}
	return nb
}

// maxHeap keeps the k smallest distances offered, the largest on top.
type maxHeap struct {
	k    int
	idx  []int32
	dist []float32
}

func (h *maxHeap) reset(k int) { h.k, h.idx, h.dist = k, h.idx[:0], h.dist[:0] }

func (h *maxHeap) Len() int           { return len(h.idx) }
func (h *maxHeap) Less(a, b int) bool { return h.dist[a] > h.dist[b] }
func (h *maxHeap) Swap(a, b int) {
	h.idx[a], h.idx[b] = h.idx[b], h.idx[a]
	h.dist[a], h.dist[b] = h.dist[b], h.dist[a]
}
func (h *maxHeap) Push(any) {}
func (h *maxHeap) Pop() any {
	n := len(h.idx) - 1
	h.idx, h.dist = h.idx[:n], h.dist[:n]
	return nil
}

func (h *maxHeap) offer(j int32, d float32) {
	if len(h.idx) < h.k {
		h.idx, h.dist = append(h.idx, j), append(h.dist, d)
		heap.Fix(h, len(h.idx)-1)
		return
	}
	if d >= h.dist[0] {
		return
	}
	h.idx[0], h.dist[0] = j, d
	heap.Fix(h, 0)
}

// sorted writes the kept neighbours nearest first, emptying the heap.
func (h *maxHeap) sorted(idx []int32, dist []float32) {
	for i := len(h.idx) - 1; i >= 0; i-- {
		idx[i], dist[i] = h.idx[0], h.dist[0]
		heap.Pop(h)
	}
}

// Agreement is the share of the k nearest neighbours of each of n points
// of dim values that carry the point's label, averaged over the points:
// how well a projection keeps the digits of a kind together (1 when every
// neighbourhood is one digit's).
func Agreement(points []float32, n, dim int, labels []uint8, k int) float64 {
	if n < 2 || len(labels) < n {
		return 0
	}
	k = min(k, n-1)
	nb := knn(points, n, dim, k, nn.NewKernel())
	same := 0
	for i := 0; i < n; i++ {
		for _, j := range nb.idx[i*k : (i+1)*k] {
			if labels[j] == labels[i] {
				same++
			}
		}
	}
	return float64(same) / float64(n*k)
}
