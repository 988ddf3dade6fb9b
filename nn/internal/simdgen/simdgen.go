// Package simdgen writes the WebAssembly SIMD GEMM kernel that package nn
// uses in browsers. Go's compiler emits no SIMD for wasm, so the kernel is
// a separate, tiny module, generated here instruction by instruction (the
// code below reads like the WAT it encodes) and embedded in nn as
// simd_kernel.wasm; a test checks the committed file is fresh.
//
// The module imports the Go program's memory ("env" "mem") and exports
//
//	gemm(args i32)
//
// whose eight i32 arguments are read from memory at args: a, lda, b, c, ldc,
// m, n, k. It adds A·B to C, where A is m×k read in place with row stride
// lda (floats), B is packed in panels of 8 columns (panel q, row p, column j
// at b[q*8*k + p*8 + j]), C is m×n with row stride ldc, m is a multiple of 4
// and n of 8. Pointers are byte addresses. Each 4×8 tile of C is kept in
// eight v128 accumulators for the whole k loop and written once.
//
// Two variants: one with f32x4.mul + f32x4.add (baseline SIMD128) and one
// with f32x4.relaxed_madd (relaxed SIMD, a fused multiply-add where the CPU
// has one). The loader picks the relaxed one when the engine validates it.
package simdgen

import "bytes"

// Opcodes used.
const (
	opBlock    = 0x02
	opLoop     = 0x03
	opEnd      = 0x0b
	opBr       = 0x0c
	opBrIf     = 0x0d
	opLocalGet = 0x20
	opLocalSet = 0x21
	opLocalTee = 0x22
	opI32Load  = 0x28
	opF32Load  = 0x2a
	opI32Const = 0x41
	opI32Eqz   = 0x45
	opI32GeU   = 0x4f
	opI32Add   = 0x6a
	opI32Sub   = 0x6b
	opI32Mul   = 0x6c
	opI32Shl   = 0x74
	opSIMD     = 0xfd
	// SIMD sub-opcodes (after 0xfd, LEB128).
	simdLoad       = 0x00
	simdStore      = 0x0b
	simdConst      = 0x0c
	simdF32Splat   = 0x13
	simdF32Add     = 0xe4
	simdF32Mul     = 0xe6
	simdRelaxedMad = 0x105
	typeI32        = 0x7f
	typeV128       = 0x7b
	blockVoid      = 0x40
)

// Locals of gemm.
const (
	lArgs = iota // the only parameter
	lA
	lLda
	lB
	lC
	lLdc
	lM
	lN
	lK
	lI
	lJ
	lP
	lRa0
	lRa1
	lRa2
	lRa3
	lPb
	lPc
)

// v128 locals follow the i32 ones: eight accumulators, two B vectors and a
// broadcast A value.
const (
	vAcc          = lPc + 1
	vB0           = vAcc + 8
	vB1           = vB0 + 1
	vA            = vB1 + 1
	numV128Locals = 11
)

type asm struct{ bytes.Buffer }

func (w *asm) op(b ...byte) { w.Write(b) }

func (w *asm) uleb(v uint64) {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			w.WriteByte(b | 0x80)
			continue
		}
		w.WriteByte(b)
		return
	}
}

func (w *asm) sleb(v int64) {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && b&0x40 == 0) || (v == -1 && b&0x40 != 0) {
			w.WriteByte(b)
			return
		}
		w.WriteByte(b | 0x80)
	}
}

func (w *asm) get(l int)             { w.op(opLocalGet); w.uleb(uint64(l)) }
func (w *asm) set(l int)             { w.op(opLocalSet); w.uleb(uint64(l)) }
func (w *asm) tee(l int)             { w.op(opLocalTee); w.uleb(uint64(l)) }
func (w *asm) i32(v int32)           { w.op(opI32Const); w.sleb(int64(v)) }
func (w *asm) simd(sub uint64)       { w.op(opSIMD); w.uleb(sub) }
func (w *asm) memarg(align, off int) { w.uleb(uint64(align)); w.uleb(uint64(off)) }

// addTo emits local l += v (i32).
func (w *asm) addTo(l int, v int32) { w.get(l); w.i32(v); w.op(opI32Add); w.set(l) }

// loadArg emits local l = i32.load(args + 4*i).
func (w *asm) loadArg(l, i int) {
	w.get(lArgs)
	w.op(opI32Load)
	w.memarg(2, 4*i)
	w.set(l)
}

// gemmBody emits the kernel's code.
func gemmBody(relaxed bool) []byte {
	var w asm
	for i, l := range []int{lA, lLda, lB, lC, lLdc, lM, lN, lK} {
		w.loadArg(l, i)
	}
	// Strides in bytes.
	for _, l := range []int{lLda, lLdc} {
		w.get(l)
		w.i32(2)
		w.op(opI32Shl)
		w.set(l)
	}
	// for i := 0; i < m; i += 4
	w.i32(0)
	w.set(lI)
	w.op(opBlock, blockVoid)
	w.op(opLoop, blockVoid)
	w.get(lI)
	w.get(lM)
	w.op(opI32GeU)
	w.op(opBrIf, 1)
	{
		// for j := 0; j < n; j += 8
		w.i32(0)
		w.set(lJ)
		w.op(opBlock, blockVoid)
		w.op(opLoop, blockVoid)
		w.get(lJ)
		w.get(lN)
		w.op(opI32GeU)
		w.op(opBrIf, 1)
		{
			// acc0..acc7 = 0
			for r := 0; r < 8; r++ {
				w.simd(simdConst)
				w.Write(make([]byte, 16))
				w.set(vAcc + r)
			}
			// ra0 = a + i*lda; ra1..ra3 one row apart
			w.get(lA)
			w.get(lI)
			w.get(lLda)
			w.op(opI32Mul)
			w.op(opI32Add)
			w.tee(lRa0)
			for _, l := range []int{lRa1, lRa2, lRa3} {
				w.get(lLda)
				w.op(opI32Add)
				w.tee(l)
			}
			w.set(lRa3)
			// pb = b + j*k*4 (the panel of columns j..j+7)
			w.get(lB)
			w.get(lJ)
			w.get(lK)
			w.op(opI32Mul)
			w.i32(2)
			w.op(opI32Shl)
			w.op(opI32Add)
			w.set(lPb)
			// for p := k; p != 0; p--
			w.get(lK)
			w.set(lP)
			w.op(opBlock, blockVoid)
			w.op(opLoop, blockVoid)
			w.get(lP)
			w.op(opI32Eqz)
			w.op(opBrIf, 1)
			{
				w.get(lPb)
				w.simd(simdLoad)
				w.memarg(2, 0)
				w.set(vB0)
				w.get(lPb)
				w.simd(simdLoad)
				w.memarg(2, 16)
				w.set(vB1)
				for r, ra := range []int{lRa0, lRa1, lRa2, lRa3} {
					w.get(ra)
					w.op(opF32Load)
					w.memarg(2, 0)
					w.simd(simdF32Splat)
					w.set(vA)
					for h, bv := range []int{vB0, vB1} {
						acc := vAcc + 2*r + h
						if relaxed { // acc = a*b + acc, fused
							w.get(vA)
							w.get(bv)
							w.get(acc)
							w.simd(simdRelaxedMad)
						} else {
							w.get(acc)
							w.get(vA)
							w.get(bv)
							w.simd(simdF32Mul)
							w.simd(simdF32Add)
						}
						w.set(acc)
					}
				}
				for _, ra := range []int{lRa0, lRa1, lRa2, lRa3} {
					w.addTo(ra, 4)
				}
				w.addTo(lPb, 32)
				w.addTo(lP, -1)
				w.op(opBr, 0)
			}
			w.op(opEnd, opEnd)
			// C tile += acc, row by row: pc = c + (i*ldc + j*4)
			w.get(lC)
			w.get(lI)
			w.get(lLdc)
			w.op(opI32Mul)
			w.op(opI32Add)
			w.get(lJ)
			w.i32(2)
			w.op(opI32Shl)
			w.op(opI32Add)
			w.set(lPc)
			for r := 0; r < 4; r++ {
				for h := 0; h < 2; h++ {
					w.get(lPc) // address for the store
					w.get(lPc)
					w.simd(simdLoad)
					w.memarg(2, 16*h)
					w.get(vAcc + 2*r + h)
					w.simd(simdF32Add)
					w.simd(simdStore)
					w.memarg(2, 16*h)
				}
				if r < 3 {
					w.get(lPc)
					w.get(lLdc)
					w.op(opI32Add)
					w.set(lPc)
				}
			}
			w.addTo(lJ, 8)
			w.op(opBr, 0)
		}
		w.op(opEnd, opEnd)
		w.addTo(lI, 4)
		w.op(opBr, 0)
	}
	w.op(opEnd, opEnd)
	w.op(opEnd) // function
	return w.Bytes()
}

// Kernel returns the module's bytes.
func Kernel(relaxed bool) []byte {
	var m asm
	m.Write([]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00})
	section := func(id byte, body []byte) {
		m.WriteByte(id)
		m.uleb(uint64(len(body)))
		m.Write(body)
	}
	name := func(w *asm, s string) { w.uleb(uint64(len(s))); w.WriteString(s) }

	var types asm // one type: (func (param i32))
	types.uleb(1)
	types.op(0x60, 1, typeI32, 0)
	section(1, types.Bytes())

	var imports asm // (import "env" "mem" (memory 0))
	imports.uleb(1)
	name(&imports, "env")
	name(&imports, "mem")
	imports.op(0x02, 0x00, 0x00)
	section(2, imports.Bytes())

	var funcs asm
	funcs.uleb(1)
	funcs.uleb(0)
	section(3, funcs.Bytes())

	var exports asm
	exports.uleb(1)
	name(&exports, "gemm")
	exports.op(0x00, 0x00)
	section(7, exports.Bytes())

	var fn asm
	fn.uleb(2) // two local declarations
	fn.uleb(uint64(lPc))
	fn.op(typeI32)
	fn.uleb(numV128Locals)
	fn.op(typeV128)
	fn.Write(gemmBody(relaxed))
	var code asm
	code.uleb(1)
	code.uleb(uint64(fn.Len()))
	code.Write(fn.Bytes())
	section(10, code.Bytes())
	return m.Bytes()
}
