package nn

import (
	"strconv"
	"strings"
)

// Shape is the shape of one sample, without the batch dimension.
type Shape []int

// Size is the number of values in one sample of this shape.
func (s Shape) Size() int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// Equal reports whether s and t have the same dimensions.
func (s Shape) Equal(t Shape) bool {
	if len(s) != len(t) {
		return false
	}
	for i := range s {
		if s[i] != t[i] {
			return false
		}
	}
	return true
}

// String formats the shape the way Keras prints a batch of it: (None, 28, 28, 1).
func (s Shape) String() string {
	var b strings.Builder
	b.WriteString("(None")
	for _, d := range s {
		b.WriteString(", ")
		b.WriteString(strconv.Itoa(d))
	}
	b.WriteString(")")
	return b.String()
}

func (s Shape) clone() Shape { return append(Shape(nil), s...) }
