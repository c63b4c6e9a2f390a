/**
 * Target assignment as the Object Detection API does it: the argmax matcher and the balanced positive/negative
 * sampler, the Java reference the training graph is tested against.
 */
package dev.nasnet.detection.targets;
