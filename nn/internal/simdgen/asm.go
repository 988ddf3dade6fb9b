package simdgen

import "bytes"

// A small WebAssembly assembler: just enough to write the kernels as
// structured code (loops, locals, SIMD operations) and encode a module.

// Value types.
const (
	typeI32  = 0x7f
	typeF32  = 0x7d
	typeF64  = 0x7c
	typeV128 = 0x7b
)

// Core opcodes used.
const (
	opBlock    = 0x02
	opLoop     = 0x03
	opIf       = 0x04
	opElse     = 0x05
	opEnd      = 0x0b
	opBr       = 0x0c
	opBrIf     = 0x0d
	opReturn   = 0x0f
	opLocalGet = 0x20
	opLocalSet = 0x21
	opLocalTee = 0x22
	opI32Load  = 0x28
	opF32Load  = 0x2a
	opF32Store = 0x38
	opF32Add   = 0x92
	opF32Mul   = 0x94
	opF64Store = 0x39
	opI32Const = 0x41
	opF32Const = 0x43
	opI32Eqz   = 0x45
	opI32Eq    = 0x46
	opI32LtU   = 0x49
	opI32GeU   = 0x4f
	opI32GeS   = 0x4e
	opI32LtS   = 0x48
	opI32Add   = 0x6a
	opI32Sub   = 0x6b
	opI32Mul   = 0x6c
	opI32DivU  = 0x6e
	opI32And   = 0x71
	opI32Shl   = 0x74
	opI32ShrU  = 0x76
	opF64Add   = 0xa0
	opSIMD     = 0xfd
	blockVoid  = 0x40
)

// SIMD opcodes (after 0xfd, LEB128).
const (
	vLoad        = 0x00
	vLoad32Splat = 0x09
	vStore       = 0x0b
	vConst       = 0x0c
	vShuffle     = 0x0d
	vI32Splat    = 0x11
	vF32Splat    = 0x13
	vF32Extract  = 0x1f
	vF64Extract  = 0x21
	vF32Gt       = 0x44
	vF32Eq       = 0x41
	vAndNot      = 0x4f
	vF32Lt       = 0x43
	vF32Ge       = 0x46
	vAnd         = 0x4e
	vOr          = 0x50
	vAllTrueI32  = 0xa3
	vBitselect   = 0x52
	vPromoteLow  = 0x5f
	vF32Nearest  = 0x6a
	vI32Shl      = 0xab
	vI32ShrU     = 0xad
	vI32Add      = 0xae
	vI32Sub      = 0xb1
	vF32Abs      = 0xe0
	vF32Neg      = 0xe1
	vF32Add      = 0xe4
	vF32Sub      = 0xe5
	vF32Mul      = 0xe6
	vF32Div      = 0xe7
	vF32Sqrt     = 0xe3
	vF32Min      = 0xe8
	vF32Max      = 0xe9
	// pmin/pmax: b < a ? b : a and a < b ? b : a, one instruction each on
	// x86 where min/max take several (for NaN and ±0 as IEEE has them). A
	// NaN in a, the data operand here, still comes through.
	vF32PMin     = 0xea
	vF32PMax     = 0xeb
	vF64Add      = 0xf0
	vI32TruncSat = 0xf8
	vF32ConvertI = 0xfa
	vF32ConvertU = 0xfb
	vI16ExtLowU  = 0x89
	vI16ExtHighU = 0x8a
	vI32ExtLowU  = 0xa9
	vI32ExtHighU = 0xaa
	vRelaxedMadd = 0x105
)

type asm struct {
	bytes.Buffer
	pool map[[2]uint32]int // hoisted splat constants: (kind, bits) -> local
}

// hoist splats each constant once into a v128 local, from local first on,
// before a loop: inside it, splatF32 of those values reads the local
// instead of building the splat again (in sigmoidBCE, about 5 % by
// BenchmarkSigmoidBCE). It returns the next free local.
func (w *asm) hoist(first int, f32s ...float32) int {
	for _, v := range f32s {
		first = w.hoistSplat(first, [2]uint32{0, math32bits(v)}, func() { w.f32(v); w.simd(vF32Splat) })
	}
	return first
}

// hoistI32 is hoist for integer lanes (splatI32).
func (w *asm) hoistI32(first int, i32s ...int32) int {
	for _, v := range i32s {
		first = w.hoistSplat(first, [2]uint32{1, uint32(v)}, func() { w.i32(v); w.simd(vI32Splat) })
	}
	return first
}

// hoistSplat emits splat() into local first unless key is hoisted already.
func (w *asm) hoistSplat(first int, key [2]uint32, splat func()) int {
	if _, ok := w.pool[key]; ok {
		return first
	}
	if first >= lv(numV128) {
		panic("simdgen: hoist: out of v128 locals")
	}
	if w.pool == nil {
		w.pool = map[[2]uint32]int{}
	}
	splat()
	w.set(first)
	w.pool[key] = first
	return first + 1
}

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

func (w *asm) f32(v float32) {
	w.op(opF32Const)
	b := math32bits(v)
	w.op(byte(b), byte(b>>8), byte(b>>16), byte(b>>24))
}

// splatF32 pushes a v128 with v in every lane.
func (w *asm) splatF32(v float32) {
	if l, ok := w.pool[[2]uint32{0, math32bits(v)}]; ok {
		w.get(l)
		return
	}
	w.f32(v)
	w.simd(vF32Splat)
}

// splatI32 pushes a v128 with v in every lane.
func (w *asm) splatI32(v int32) {
	if l, ok := w.pool[[2]uint32{1, uint32(v)}]; ok {
		w.get(l)
		return
	}
	w.i32(v)
	w.simd(vI32Splat)
}

// zero pushes an all-zero v128.
func (w *asm) zero() { w.simd(vConst); w.Write(make([]byte, 16)) }

// vload pushes v128.load(local addr + off).
func (w *asm) vload(addr, off int) { w.get(addr); w.simd(vLoad); w.memarg(2, off) }

// bytesOf emits local l <<= 2: a count of floats to bytes.
func (w *asm) bytesOf(l int) { w.get(l); w.i32(2); w.op(opI32Shl); w.set(l) }

// endOf emits local end = local p + local n*4: the byte address just past n
// floats from p.
func (w *asm) endOf(end, p, n int) {
	w.get(p)
	w.get(n)
	w.i32(2)
	w.op(opI32Shl)
	w.op(opI32Add)
	w.set(end)
}

// loadArgs emits one loadArg per local, in order.
func (w *asm) loadArgs(locals ...int) {
	for i, l := range locals {
		w.loadArg(l, i)
	}
}

// sumF64 pushes, as an f64, the sum of the four f32 lanes of local v,
// each promoted first (so the sum keeps the precision of the lanes).
func (w *asm) sumF64(v int) {
	for half := 0; half < 2; half++ {
		for lane := byte(0); lane < 2; lane++ {
			w.get(v)
			if half == 1 { // the high two lanes, moved low
				w.get(v)
				w.simd(vShuffle)
				w.Write([]byte{8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7})
			}
			w.simd(vPromoteLow)
			w.simd(vF64Extract)
			w.op(lane)
			if half+int(lane) > 0 {
				w.op(opF64Add)
			}
		}
	}
}

// accumulateF64 emits acc += the four f32 lanes of local v promoted, as
// f64x2 (a sum that keeps the precision of the lanes).
func (w *asm) accumulateF64(acc, v int) {
	w.get(acc)
	w.get(v)
	w.simd(vPromoteLow)
	w.simd(vF64Add)
	w.get(v)
	w.get(v)
	w.simd(vShuffle)
	w.Write([]byte{8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7})
	w.simd(vPromoteLow)
	w.simd(vF64Add)
	w.set(acc)
}

// sumF64x2 pushes the sum of local acc's two f64 lanes.
func (w *asm) sumF64x2(acc int) {
	w.get(acc)
	w.simd(vF64Extract)
	w.op(0)
	w.get(acc)
	w.simd(vF64Extract)
	w.op(1)
	w.op(opF64Add)
}

// addTo emits local l += v (i32).
func (w *asm) addTo(l int, v int32) { w.get(l); w.i32(v); w.op(opI32Add); w.set(l) }

// addLocal emits local l += local m (i32).
func (w *asm) addLocal(l, m int) { w.get(l); w.get(m); w.op(opI32Add); w.set(l) }

// loadArg emits local l = i32.load(args + 4*i) (args is local 0).
func (w *asm) loadArg(l, i int) {
	w.get(0)
	w.op(opI32Load)
	w.memarg(2, 4*i)
	w.set(l)
}

// while emits: block loop { exit if cond() is true; body; br loop } end end.
func (w *asm) while(exit func(), body func()) {
	w.op(opBlock, blockVoid)
	w.op(opLoop, blockVoid)
	exit()
	w.op(opBrIf, 1)
	body()
	w.op(opBr, 0)
	w.op(opEnd, opEnd)
}

// forUp emits: for i := start; i < end; i += step { body } with i, end
// locals and start a constant.
func (w *asm) forUp(i int, start int32, end int, step int32, body func()) {
	w.i32(start)
	w.set(i)
	w.while(func() { w.get(i); w.get(end); w.op(opI32GeU) }, func() {
		body()
		w.addTo(i, step)
	})
}

// fn is one exported function: one i32 parameter (a pointer to its
// arguments in memory), optional f64 result, and locals in fixed ranges:
// i32 locals 1..numI32, then v128, then f64.
type fn struct {
	name   string
	result bool // returns f64
	code   asm
}

const (
	numI32  = 24
	numV128 = 48
	numF64  = 2
	numF32  = 2
)

// Local indices.
func li(n int) int   { return 1 + n }
func lv(n int) int   { return 1 + numI32 + n }
func lf32(n int) int { return 1 + numI32 + numV128 + numF64 + n }

// module encodes the functions into a module importing "env" "mem".
func module(fns []*fn) []byte {
	var m asm
	m.Write([]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00})
	section := func(id byte, body []byte) {
		m.WriteByte(id)
		m.uleb(uint64(len(body)))
		m.Write(body)
	}
	name := func(w *asm, s string) { w.uleb(uint64(len(s))); w.WriteString(s) }

	var types asm // type 0: (i32) -> (); type 1: (i32) -> (f64)
	types.uleb(2)
	types.op(0x60, 1, typeI32, 0)
	types.op(0x60, 1, typeI32, 1, typeF64)
	section(1, types.Bytes())

	var imports asm
	imports.uleb(1)
	name(&imports, "env")
	name(&imports, "mem")
	imports.op(0x02, 0x00, 0x00)
	section(2, imports.Bytes())

	var funcs asm
	funcs.uleb(uint64(len(fns)))
	for _, f := range fns {
		t := uint64(0)
		if f.result {
			t = 1
		}
		funcs.uleb(t)
	}
	section(3, funcs.Bytes())

	var exports asm
	exports.uleb(uint64(len(fns)))
	for i, f := range fns {
		name(&exports, f.name)
		exports.op(0x00)
		exports.uleb(uint64(i))
	}
	section(7, exports.Bytes())

	var code asm
	code.uleb(uint64(len(fns)))
	for _, f := range fns {
		var body asm
		body.uleb(4)
		body.uleb(numI32)
		body.op(typeI32)
		body.uleb(numV128)
		body.op(typeV128)
		body.uleb(numF64)
		body.op(typeF64)
		body.uleb(numF32)
		body.op(typeF32)
		body.Write(f.code.Bytes())
		body.op(opEnd)
		code.uleb(uint64(body.Len()))
		code.Write(body.Bytes())
	}
	section(10, code.Bytes())
	return m.Bytes()
}

// vstore emits v128.store(local addr + off, <value pushed by push()>).
func (w *asm) vstore(addr, off int, push func()) {
	w.get(addr)
	push()
	w.simd(vStore)
	w.memarg(2, off)
}

// hsum pops a v128 and pushes the f32 sum of its lanes.
func (w *asm) hsum(v int) {
	w.get(v)
	w.simd(vF32Extract)
	w.op(0)
	for lane := byte(1); lane < 4; lane++ {
		w.get(v)
		w.simd(vF32Extract)
		w.op(lane)
		w.op(opF32Add)
	}
}

// ifThen emits: if cond() { then() } else { els() } (els may be nil).
func (w *asm) ifThen(cond func(), then, els func()) {
	cond()
	w.op(opIf, blockVoid)
	then()
	if els != nil {
		w.op(opElse)
		els()
	}
	w.op(opEnd)
}

// copyRun emits a copy of n floats (n a local) from local src to local dst,
// four at a time then one at a time; src and dst are advanced. Uses local
// end.
func (w *asm) copyRun(dst, src, n, end int) {
	w.run(dst, n, end, func() {
		w.vload(src, 0)
	}, func() {
		w.get(src)
		w.op(opF32Load)
		w.memarg(2, 0)
	}, func(bytes int32) { w.addTo(src, bytes) })
}

// zeroRun emits: n floats (n a local) of zeros at local dst, advanced.
// Uses local end.
func (w *asm) zeroRun(dst, n, end int) {
	w.run(dst, n, end, w.zero, func() { w.f32(0) }, func(int32) {})
}

// run emits the stores of n floats (n a local) at local dst, advanced:
// vec pushes the next four, one the next one, and next advances whatever
// they read by bytes. Uses local end.
func (w *asm) run(dst, n, end int, vec, one func(), next func(bytes int32)) {
	w.get(dst)
	w.get(n)
	w.i32(2)
	w.op(opI32Shl)
	w.op(opI32Add)
	w.set(end)
	// while dst+16 <= end: 4 floats
	w.while(func() {
		w.get(dst)
		w.i32(16)
		w.op(opI32Add)
		w.get(end)
		w.op(0x4b) // i32.gt_u
	}, func() {
		w.vstore(dst, 0, vec)
		w.addTo(dst, 16)
		next(16)
	})
	w.while(func() { w.get(dst); w.get(end); w.op(opI32GeU) }, func() {
		w.get(dst)
		one()
		w.op(opF32Store)
		w.memarg(2, 0)
		w.addTo(dst, 4)
		next(4)
	})
}
