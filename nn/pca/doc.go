// Package pca fits, applies and reads principal component analyses: the
// latent map's projection of codes to a plane (fitted in the browser, on
// the codes of the weights on show) and the PCA baselines of the compare
// view (fitted natively by scripts/pca with gonum and shipped as
// safetensors files).
package pca
