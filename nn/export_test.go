package nn

// KernelsUnderTest is kernelsUnderTest, for the package's external tests
// (those that build models of the catalogue, which imports nn).
var KernelsUnderTest = kernelsUnderTest
