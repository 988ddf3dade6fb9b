package numfmt

import (
	"math"
	"testing"
)

func TestFormatting(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Thousands(50992), "50,992"}, {Thousands(999), "999"}, {Thousands(0), "0"}, {Thousands(-1234567), "-1,234,567"},
		{Loss(0.091512), "0.09151"}, {Loss(0.12345), "0.1235"}, {Loss(math.NaN()), "–"},
		{Duration(65), "1:05"}, {Duration(3725), "1:02:05"}, {Duration(-1), "–"}, {Duration(math.Inf(1)), "–"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
