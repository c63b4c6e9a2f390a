package dev.nasnet.detection.data;

import com.google.common.base.Preconditions;

/**
 * One entry of a COCO {@code categories} list. Ids need not be contiguous (COCO uses 80 of 1..90).
 *
 * @param supercategory empty when the file does not give one
 */
public record CocoCategory(int id, String name, String supercategory) {

  public CocoCategory {
    Preconditions.checkNotNull(name, "name");
    Preconditions.checkNotNull(supercategory, "supercategory");
  }
}
