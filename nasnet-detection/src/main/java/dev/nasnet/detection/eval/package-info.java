/**
 * COCO bbox evaluation matching pycocotools number for number (12 summary values, per-class AP) and VOC07/VOC12
 * AP50; pure Java, no TensorFlow.
 */
package dev.nasnet.detection.eval;
