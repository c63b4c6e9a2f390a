/**
 * The region proposal network: its head and losses as graph ops, its targets (matcher and sampler) in Java, and
 * proposal generation (decode, clip, NMS) in Java and in the graph.
 */
package dev.nasnet.detection.rpn;
