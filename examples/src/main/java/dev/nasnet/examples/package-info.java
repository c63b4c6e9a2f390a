/**
 * Runnable examples: the README's quickstarts (kept identical to it by a test) and the Keras reference check.
 * Start here to see the library used end to end.
 */
package dev.nasnet.examples;
