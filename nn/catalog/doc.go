// Package catalog is the playground's list of models: the four
// autoencoders of "Building Autoencoders in Keras" and the playground's
// own 2-D code model, each with what the page and the trainer need to know
// of it (its title, how it is trained, its quick preset). Everything that
// differs between models is here, so the page, the worker and the scripts
// never branch on a model's name.
package catalog
