package idx

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Append appends an unsigned-byte IDX file to b: the magic (type 0x08 and
// len(dims) dimensions), each dimension as a big-endian uint32, then data.
// It panics if data does not have the dimensions' product of values.
func Append(b []byte, dims []int, data []uint8) []byte {
	n := 1
	for _, d := range dims {
		n *= d
	}
	if len(dims) == 0 || len(dims) > 255 || n != len(data) {
		panic(fmt.Sprintf("idx: Append: %d values for dimensions %v", len(data), dims))
	}
	b = append(b, 0, 0, 8, byte(len(dims)))
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

// Write writes an unsigned-byte IDX file (see Append) to w.
func Write(w io.Writer, dims []int, data []uint8) error {
	_, err := w.Write(Append(nil, dims, data))
	return err
}
