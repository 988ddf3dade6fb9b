//go:build amd64 && !purego

package nn

// Implemented in pack_amd64.s.
//
//go:noescape
func packAT8AVX(a *float32, lda, mc, kc int, dst *float32, ldd int)

// packATAVX is packA for a transposed A (alpha 1), its 8×8 blocks by
// vector shuffles: a convolution's weight gradient transposes a tall
// matrix (Winograd's transformed input, a layer's output gradient) whose
// every value the product then uses only a few times.
func packATAVX(dst []float32, a []float32, lda, ic, pc, mc, kc, mr int) bool {
	rows := (mc + mr - 1) / mr * mr
	if mc == 0 || kc == 0 || len(a) < (pc+kc-1)*lda+ic+mc || len(dst) < rows*kc {
		return false
	}
	clear(dst[mc*kc : rows*kc])
	mc8, kc8 := mc&^7, kc&^7
	if mc8 > 0 && kc8 > 0 {
		packAT8AVX(&a[pc*lda+ic], lda, mc8, kc8, &dst[0], kc)
	}
	for p := 0; p < kc; p++ {
		src := a[(pc+p)*lda+ic : (pc+p)*lda+ic+mc]
		i0 := mc8
		if p >= kc8 {
			i0 = 0
		}
		for i := i0; i < mc; i++ {
			dst[i*kc+p] = src[i]
		}
	}
	return true
}
