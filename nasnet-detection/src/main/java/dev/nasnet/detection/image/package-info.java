/**
 * RGB images in memory, resizing exactly as the inference graph does, and drawing detections onto an image.
 * Used by the trainer, the detector and the command line.
 */
package dev.nasnet.detection.image;
