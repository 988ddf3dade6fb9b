//go:build amd64 && !purego

package nn

// Implemented in winograd_amd64.s: one row of n tiles, 8 channels at a
// time (strides and pos in floats).
//
//go:noescape
func winoInAVX(src *float32, stride, c, n int, v *float32, pos int)

//go:noescape
func winoOutAVX(m *float32, pos, c, n int, dst *float32, stride int)

//go:noescape
func winoGradOutAVX(dz *float32, stride, c, n int, m *float32, pos int)

//go:noescape
func winoGradInAVX(q *float32, pos, c, n int, dst *float32, stride int)

// winoAVX are the AVX2 kernel's Winograd transforms, for channel counts
// that are a multiple of 8.
var winoAVX = winoFuncs{
	in: func(src []float32, t WinogradTiles, v []float32) bool {
		if !t.check(8, 4, src, v) {
			return false
		}
		for ty := 0; ty < t.TH; ty++ {
			winoInAVX(&src[2*ty*t.Stride], t.Stride, t.C, t.TW, &v[(t.K0+ty*t.TW)*t.C], t.Pos)
		}
		return true
	},
	out: func(m []float32, t WinogradTiles, dst []float32) bool {
		if !t.check(8, 2, dst, m) {
			return false
		}
		for ty := 0; ty < t.TH; ty++ {
			winoOutAVX(&m[(t.K0+ty*t.TW)*t.C], t.Pos, t.C, t.TW, &dst[2*ty*t.Stride], t.Stride)
		}
		return true
	},
	gradOut: func(dz []float32, t WinogradTiles, m []float32) bool {
		if !t.check(8, 2, dz, m) {
			return false
		}
		for ty := 0; ty < t.TH; ty++ {
			winoGradOutAVX(&dz[2*ty*t.Stride], t.Stride, t.C, t.TW, &m[(t.K0+ty*t.TW)*t.C], t.Pos)
		}
		return true
	},
	gradIn: func(q []float32, t WinogradTiles, dst []float32) bool {
		if !t.check(8, 4, dst, q) {
			return false
		}
		for ty := 0; ty < t.TH; ty++ {
			winoGradInAVX(&q[(t.K0+ty*t.TW)*t.C], t.Pos, t.C, t.TW, &dst[2*ty*t.Stride], t.Stride)
		}
		return true
	},
}
