package workers

import "testing"

func TestDefault(t *testing.T) {
	for cores, want := range map[int]int{-1: 1, 0: 1, 1: 1, 2: 2, 4: 4, 16: Max} {
		if got := Default(cores); got != want {
			t.Errorf("Default(%d) = %d, want %d", cores, got, want)
		}
	}
}
