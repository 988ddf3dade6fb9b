package workers

// Max caps the default: past a few workers the per-step messages cost more
// than another core brings, and memory grows (each worker holds the data).
const Max = 4

// Default is the worker count for a browser that reports cores cores: one
// a core, at most Max, at least one.
func Default(cores int) int { return max(1, min(cores, Max)) }
