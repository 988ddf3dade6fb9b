package simdgen

// Kernel returns the module's bytes.
func Kernel(relaxed bool) []byte {
	return module([]*fn{gemm(relaxed), biasAct("reluBias", relu), biasAct("sigmoidBias", sigmoid), reluGrad(), bceSum(),
		gemv(), gevm(), patches(), packB(), maxPool(), maxPoolGrad(), upsample(), upsampleGrad(), packAT(), colSums(), adam(), vadd(), finite(), scaledDiff(), toFloat(), sigmoidBCE(), packBT(), patches1(), sumTaps3(),
		winoIn(), winoOut(), winoGradOut(), winoGradIn()})
}
