/**
 * Internal: the TensorFlow graphs behind the front (training graph, inference graph, the shared first stage).
 * Public only so the front package can reach them; not API, and free to change between versions.
 */
package dev.nasnet.detection.graph;
