// Package tsne embeds points in the plane with t-SNE (van der Maaten and
// Hinton, 2008), in its Barnes-Hut form (van der Maaten, 2014), for the
// latent map's second projection: the Keras post runs t-SNE on the 32-value
// codes. Input affinities come from each point's 3·perplexity nearest
// neighbours (exact, found by blocked distance products through the nn
// kernel); the repulsion from a quadtree, so an iteration costs
// O(n log n). The run is seeded and steps in chunks, so a web worker can
// send the points as they move and stop when asked. Neighbours also give
// the map's measure of a projection, the share of each point's k nearest
// neighbours in the plane that have its label (Agreement).
package tsne
