/**
 * COCO's JSON formats: annotation files (images, categories, boxes) read with every field checked, and detection
 * results files read and written.
 */
package dev.nasnet.detection.data;
