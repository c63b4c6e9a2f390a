/**
 * The {@code nasnet} command-line tool: one picocli command per file, shared options as mixins
 * ({@code TrainingOptions}, {@code NetworkSizeOptions}, {@code DataOptions}, {@code RunOptions}).
 */
package dev.nasnet.examples.cli;
