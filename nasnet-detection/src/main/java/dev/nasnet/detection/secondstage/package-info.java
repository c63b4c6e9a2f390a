/**
 * The second stage: the box classifier over cropped proposal features and its class-specific boxes, and the
 * targets it trains on, assigned in Java.
 */
package dev.nasnet.detection.secondstage;
