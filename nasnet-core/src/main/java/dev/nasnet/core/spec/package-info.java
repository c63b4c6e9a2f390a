/**
 * The cell DSL as plain data: blocks, branches, combines and whole cells ({@link dev.nasnet.core.spec.CellSpec}), the
 * published cells ({@link dev.nasnet.core.spec.Cells}) and their JSON and DOT forms. No TensorFlow here.
 */
package dev.nasnet.core.spec;
