/**
 * Images in memory: IDX, CIFAR and image-folder readers, the deterministic per-epoch shuffling, augmentation and
 * normalisation of the batch pipeline.
 */
package dev.nasnet.core.data;
