/**
 * Early stopping of running trials from their intermediate results: the Pruner interface with median stopping
 * (MedianPruner) and asynchronous successive halving (AshaPruner), consulted as a trial reports its steps.
 */
package dev.nasnet.search.prune;
