/**
 * TensorFlow's native runtime: the check that it loads, and {@code GraphSession}, the one holder of a graph and
 * its session that every part of the library creates sessions through.
 */
package dev.nasnet.core.runtime;
