/**
 * Target assignment as the Object Detection API does it: the argmax matcher and the balanced positive/negative
 * sampler in Java (the reference), and the same rules as graph ops ({@link dev.nasnet.detection.targets.TargetGraph})
 * that the training graph uses and the tests hold to the Java versions.
 */
package dev.nasnet.detection.targets;
