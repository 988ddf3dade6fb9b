// Command gensimd writes nn's WebAssembly SIMD kernels:
//
//	go generate ./nn   (runs: go run ./internal/simdgen/gensimd)
package main

import (
	"fmt"
	"os"

	"aeplay/nn/internal/simdgen"
)

func main() {
	for name, relaxed := range map[string]bool{"simd_kernel.wasm": false, "simd_kernel_relaxed.wasm": true} {
		if err := os.WriteFile(name, simdgen.Kernel(relaxed), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gensimd:", err)
			os.Exit(1)
		}
	}
}
