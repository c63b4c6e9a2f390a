package dev.nasnet.search.space;

import dev.nasnet.core.spec.CellSpec;

/** A searched pair of cells; {@code reduction} is null when only the normal cell was searched. */
public record NasNetArchitecture(CellSpec normal, CellSpec reduction) {}
