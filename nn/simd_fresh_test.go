package nn

import (
	"bytes"
	"os"
	"testing"

	"aeplay/nn/internal/simdgen"
)

// TestSIMDKernelsAreFresh: the committed WebAssembly kernels are what the
// generator writes today (run `go generate ./nn` after changing it).
func TestSIMDKernelsAreFresh(t *testing.T) {
	for file, relaxed := range map[string]bool{"simd_kernel.wasm": false, "simd_kernel_relaxed.wasm": true} {
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, simdgen.Kernel(relaxed)) {
			t.Errorf("%s is stale: run go generate ./nn", file)
		}
	}
}
