package dev.nasnet.detection;

import dev.nasnet.detection.boxes.CornerBox;

/**
 * One detected object, in the pixels of the image passed to the detector.
 *
 * @param classIndex 0-based index into the config's categories
 * @param categoryId the category's id (as in COCO annotations)
 */
public record Detection(CornerBox box, int classIndex, int categoryId, String label, double score) {}
