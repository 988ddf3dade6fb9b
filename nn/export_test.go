package nn

// KernelsUnderTest is kernelsUnderTest, for the package's external tests
// (those that build models of the catalogue, which imports nn).
var KernelsUnderTest = kernelsUnderTest

// Chunk is how many samples ForwardBackward takes at a time.
func (r *Runner) Chunk() int { return r.chunk }
