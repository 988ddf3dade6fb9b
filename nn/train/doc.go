// Package train trains models of package nn as Keras' fit does: Adam with
// Keras' defaults, the loss averaged over every output element, batches
// drawn from a shuffle per epoch, validation after each epoch, and the
// epoch's training loss the mean of its batches' losses weighted by their
// size.
//
// A Trainer splits each batch into equal parts. It computes the first on
// the calling goroutine with the model's own weights; every other part
// goes to a Shard, a replica of the model (Replica) that lives in a
// goroutine of this process or in another web worker. The Trainer sums
// every part's gradients in a fixed order, sends every shard the sum, and
// each replica takes the same Adam step, so the copies stay identical and
// a run with any number of workers follows one worker's loss curve to
// float rounding. A Dataset makes inputs and targets from images on the
// fly, with the denoising experiment's noise fixed per image.
//
// Step trains one batch, so a caller that must return to an event loop (a
// web worker) can train a slice at a time; Fit runs to the end.
package train
