//go:build js && wasm

package nn

import (
	_ "embed"
	"runtime"
	"syscall/js"
	"unsafe"
)

//go:generate go run ./internal/simdgen/gensimd

// The WebAssembly SIMD kernels (see internal/simdgen), embedded.
var (
	//go:embed simd_kernel.wasm
	simdKernelWasm []byte
	//go:embed simd_kernel_relaxed.wasm
	simdKernelRelaxedWasm []byte
)

// platformKernels offers the SIMD kernel when the page's loader has put the
// Go program's memory where the kernel module can import it
// (globalThis.aeplayGoMemory; see web/loader.js and web/worker.js) and the
// engine supports SIMD. Elsewhere (plain go_js_wasm_exec under node) only the
// portable kernel exists.
func platformKernels() map[string]func() Kernel {
	mem := js.Global().Get("aeplayGoMemory")
	wasm := js.Global().Get("WebAssembly")
	if !mem.Truthy() || !wasm.Truthy() || !mem.InstanceOf(wasm.Get("Memory")) {
		return nil
	}
	code := simdKernelWasm
	if wasm.Call("validate", bytesToJS(simdKernelRelaxedWasm)).Bool() {
		code = simdKernelRelaxedWasm // fused multiply-add where the CPU has it
	}
	if !wasm.Call("validate", bytesToJS(code)).Bool() {
		return nil // no SIMD128 in this engine
	}
	return map[string]func() Kernel{"simd": func() Kernel { return newSIMDKernel(wasm, mem, code) }}
}

func bytesToJS(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// simdBlock calls the module's gemm. Its arguments travel through a small
// array in Go's memory, so a call passes one prepared value and allocates
// nothing.
type simdBlock struct {
	fn      js.Value
	args    []int32
	argsPtr any
}

func newSIMDKernel(wasm, mem js.Value, code []byte) Kernel {
	mod := wasm.Get("Module").New(bytesToJS(code))
	env := js.Global().Get("Object").New()
	env.Set("mem", mem)
	imports := js.Global().Get("Object").New()
	imports.Set("env", env)
	inst := wasm.Get("Instance").New(mod, imports)
	s := &simdBlock{fn: inst.Get("exports").Get("gemm"), args: make([]int32, 8)}
	s.argsPtr = js.ValueOf(int(uintptr(unsafe.Pointer(&s.args[0]))))
	return &GoKernel{
		shapes: []microShape{{mr: 4, nr: 8, micro: micro4x8, block: s.block}},
		dot:    dotGo,
		axpy:   axpyGo,
	}
}

func addr(f []float32) int32 { return int32(uintptr(unsafe.Pointer(&f[0]))) }

func (s *simdBlock) block(m, n, k int, a []float32, lda int, b, c []float32, ldc int) {
	s.args[0], s.args[1], s.args[2], s.args[3] = addr(a), int32(lda), addr(b), addr(c)
	s.args[4], s.args[5], s.args[6], s.args[7] = int32(ldc), int32(m), int32(n), int32(k)
	s.fn.Invoke(s.argsPtr)
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
}
