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

// packBTAVX is packB for a transposed B, each panel's 8×8 blocks by the
// same shuffles: Winograd's input gradient multiplies by the transformed
// kernels transposed, sixteen small products a chunk of tiles.
func packBTAVX(dst []float32, trans bool, b []float32, ldb, pc, jc, kc, nc, nr int) bool {
	if !trans || kc == 0 || nc == 0 || len(b) < (jc+nc-1)*ldb+pc+kc || len(dst) < (nc+nr-1)/nr*nr*kc {
		return false
	}
	kc8 := kc &^ 7
	for q := 0; q < nc; q += nr {
		panel := dst[q*kc : (q+nr)*kc]
		w := min(nr, nc-q)
		if w < nr {
			clear(panel)
		}
		// panel[p·nr + j] = b[(jc+q+j)·ldb + pc + p]: B's rows are the
		// panel's columns.
		w8 := w &^ 7
		if kc8 > 0 && w8 > 0 {
			packAT8AVX(&b[(jc+q)*ldb+pc], ldb, kc8, w8, &panel[0], nr)
		}
		for j := 0; j < w; j++ {
			src := b[(jc+q+j)*ldb+pc : (jc+q+j)*ldb+pc+kc]
			p0 := kc8
			if j >= w8 {
				p0 = 0
			}
			for p := p0; p < kc; p++ {
				panel[p*nr+j] = src[p]
			}
		}
	}
	return true
}
