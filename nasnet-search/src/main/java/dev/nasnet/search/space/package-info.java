/**
 * Search spaces: fixed-length sequences of categorical decisions (SearchSpace) and the NASNet cell space of the
 * paper (NasNetSearchSpace) with the pair of cells it decodes to (NasNetArchitecture).
 */
package dev.nasnet.search.space;
