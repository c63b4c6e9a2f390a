/**
 * Generated data for tests and demos: images of squares, discs and triangles on noisy backgrounds with exact
 * boxes, deterministic by seed.
 */
package dev.nasnet.detection.synthetic;
