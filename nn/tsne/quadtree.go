package tsne

// quadtree is the Barnes-Hut tree of the embedding: each cell holds its
// points' count and centre of mass, so that a far cell's repulsion is
// taken as one point's. Cells live in one slice, rebuilt each iteration
// without allocating once it has grown; a cell's four children are made
// together, one after another, so a traversal pushes one index for them.
type quadtree struct {
	cells []cell
	// order is the points in the tree's depth-first order: points near in
	// it are near in the plane, so their traversals visit the same cells
	// one after another, from the cache.
	order []int32
}

// cell is a square of the tree. The fields a traversal reads come first.
type cell struct {
	mx, my float64 // the sum of the points' positions while building, their centre of mass after
	size2  float64 // the side squared
	count  int32
	point  int32 // a leaf's one point (its first, for coincident points), -1 for an inner cell
	first  int32 // the first of the four children, -1 for a leaf
	cx, cy float64
	half   float64 // the square's centre and half side
}

// maxDepth stops a cell from splitting forever over points that sit at the
// same place: they stay together in one leaf.
const maxDepth = 48

func (q *quadtree) build(y []float64, n int) {
	minX, minY, maxX, maxY := y[0], y[1], y[0], y[1]
	for i := 1; i < n; i++ {
		minX, maxX = min(minX, y[2*i]), max(maxX, y[2*i])
		minY, maxY = min(minY, y[2*i+1]), max(maxY, y[2*i+1])
	}
	half := max(maxX-minX, maxY-minY)/2 + 1e-5
	q.cells = append(q.cells[:0], newCell((minX+maxX)/2, (minY+maxY)/2, half))
	for i := 0; i < n; i++ {
		q.insert(int32(i), y)
	}
	for c := range q.cells { // sums to centres of mass, once
		cl := &q.cells[c]
		if cl.count > 0 {
			cl.mx /= float64(cl.count)
			cl.my /= float64(cl.count)
		}
		cl.size2 = 4 * cl.half * cl.half
	}
	q.order = q.order[:0]
	q.dfs(0, y, n)
}

func newCell(cx, cy, half float64) cell {
	return cell{cx: cx, cy: cy, half: half, point: -1, first: -1}
}

func (q *quadtree) insert(i int32, y []float64) {
	px, py := y[2*i], y[2*i+1]
	c := int32(0)
	for depth := 0; ; depth++ {
		cl := &q.cells[c]
		cl.mx += px
		cl.my += py
		cl.count++
		if cl.count == 1 {
			cl.point = i
			return
		}
		if depth >= maxDepth {
			return // a leaf of coincident points
		}
		if cl.first < 0 { // a leaf: split it, its point a level down
			old := cl.point
			cl.point = -1
			q.split(c)
			d := &q.cells[q.child(c, y[2*old], y[2*old+1])]
			d.mx, d.my, d.count, d.point = y[2*old], y[2*old+1], 1, old
		}
		c = q.child(c, px, py)
	}
}

// split makes the four children of cell c.
func (q *quadtree) split(c int32) {
	cl := q.cells[c]
	h := cl.half / 2
	q.cells[c].first = int32(len(q.cells))
	for k := 0; k < 4; k++ {
		cx, cy := cl.cx-h, cl.cy-h
		if k&1 != 0 {
			cx += cl.half
		}
		if k&2 != 0 {
			cy += cl.half
		}
		q.cells = append(q.cells, newCell(cx, cy, h))
	}
}

// child is the child of c that holds (px, py).
func (q *quadtree) child(c int32, px, py float64) int32 {
	cl := &q.cells[c]
	k := int32(0)
	if px > cl.cx {
		k |= 1
	}
	if py > cl.cy {
		k |= 2
	}
	return cl.first + k
}

// dfs lists the points of cell c depth first into order; a leaf of
// coincident points lists the points at its place.
func (q *quadtree) dfs(c int32, y []float64, n int) {
	cl := &q.cells[c]
	switch {
	case cl.count == 0:
	case cl.first >= 0:
		for k := int32(0); k < 4; k++ {
			q.dfs(cl.first+k, y, n)
		}
	case cl.count == 1:
		q.order = append(q.order, cl.point)
	default:
		for i := 0; i < n; i++ { // rare: points that share a place
			if y[2*i] == cl.mx && y[2*i+1] == cl.my {
				q.order = append(q.order, int32(i))
			}
		}
	}
}

// repulse adds to (fx, fy) the unnormalised repulsion on point i, Σ q²·(yi
// − yj) over the others with q = 1/(1 + |yi − yj|²), and returns its part
// of Z = Σ q; a cell whose side over its distance is below theta counts
// as its centre of mass.
func (q *quadtree) repulse(i int, y []float64, theta float64, stack []int32) (fx, fy, z float64, _ []int32) {
	px, py := y[2*i], y[2*i+1]
	theta2 := theta * theta
	cells := q.cells
	stack = append(stack[:0], 0)
	for len(stack) > 0 {
		c := &cells[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		if c.count == 0 || c.point == int32(i) && c.count == 1 {
			continue
		}
		dx, dy := px-c.mx, py-c.my
		d2 := dx*dx + dy*dy
		if c.first < 0 || c.size2 < theta2*d2 {
			n := float64(c.count)
			if c.first < 0 && d2 == 0 { // coincident points, i among them: count the others
				n--
			}
			w := 1 / (1 + d2)
			z += n * w
			n *= w * w
			fx += n * dx
			fy += n * dy
			continue
		}
		f := c.first
		stack = append(stack, f, f+1, f+2, f+3)
	}
	return fx, fy, z, stack
}
