package nn

import "math"

// Float32 exp and log, ported from Cephes' expf and logf. The loss and the
// sigmoid call them for every output pixel of every batch, where math.Exp and
// math.Log (float64, with careful special-case handling) cost more than the
// small models' matrix products; these are within about 2 ulp of the exact
// results over the range the engine uses.

const (
	expfHi  = 88.72283905206835
	expfLo  = -103.97207708
	log2e   = 1.44269504088896341
	ln2Hi   = 0.693359375
	ln2Lo   = -2.12194440e-4
	sqrtHlf = 0.707106781186547524
)

// expf returns e**x in float32 arithmetic.
func expf(x float32) float32 {
	if x > expfHi {
		return float32(math.Inf(1))
	}
	if x < expfLo {
		return 0
	}
	if x != x {
		return x
	}
	// x = n*ln2 + r, |r| <= ln2/2
	z := float32(math.Floor(float64(log2e*x + 0.5)))
	n := int32(z)
	x -= z * ln2Hi
	x -= z * ln2Lo
	z = x * x
	p := ((((((1.9875691500e-4*x+1.3981999507e-3)*x+8.3334519073e-3)*x+4.1665795894e-2)*x+1.6666665459e-1)*x+5.0000001201e-1)*z + x + 1)
	// Scale by 2**n in two steps so that n down to -149 (subnormal results) works.
	if n < -125 {
		return p * math.Float32frombits(uint32(n+127+64)<<23) * math.Float32frombits(uint32(127-64)<<23)
	}
	if n > 127 {
		return p * math.Float32frombits(uint32(127)<<23) * math.Float32frombits(uint32(n)<<23)
	}
	return p * math.Float32frombits(uint32(n+127)<<23)
}

// logf returns the natural logarithm of x in float32 arithmetic.
func logf(x float32) float32 {
	if x <= 0 {
		if x == 0 {
			return float32(math.Inf(-1))
		}
		return float32(math.NaN())
	}
	if x != x || x > math.MaxFloat32 {
		return x
	}
	bits := math.Float32bits(x)
	var e int32
	if bits < 1<<23 { // subnormal: normalise first
		x *= 1 << 23
		bits = math.Float32bits(x)
		e = -23
	}
	e += int32(bits>>23) - 126
	x = math.Float32frombits(bits&0x007fffff | 0x3f000000) // mantissa in [0.5, 1)
	if x < sqrtHlf {
		e--
		x = x + x - 1
	} else {
		x = x - 1
	}
	z := x * x
	y := ((((((((7.0376836292e-2*x-1.1514610310e-1)*x+1.1676998740e-1)*x-1.2420140846e-1)*x+1.4249322787e-1)*x-1.6668057665e-1)*x+2.0000714765e-1)*x-2.4999993993e-1)*x + 3.3333331174e-1) * x * z
	fe := float32(e)
	y += ln2Lo * fe
	y -= 0.5 * z
	return x + y + ln2Hi*fe
}

// sigmoidf is the logistic function, stable for large |x|.
func sigmoidf(x float32) float32 {
	if x >= 0 {
		return 1 / (1 + expf(-x))
	}
	e := expf(x)
	return e / (1 + e)
}

// log1pSmall returns log(1+e) for e in [0, 1] (the softplus of a logit's
// tail): log(1+e) = 2·atanh(t) with t = e/(2+e) ≤ 1/3, whose series reaches
// float precision in seven terms, no range reduction needed.
func log1pSmall(e float32) float32 {
	t := e / (2 + e)
	u := t * t
	s := ((((((1.0/13)*u+1.0/11)*u+1.0/9)*u+1.0/7)*u+1.0/5)*u+1.0/3)*u + 1
	return (t + t) * s
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }
