/**
 * What a finished search directory reads as for people: the ranked trials and best-so-far plot (SearchReport,
 * SearchPlot) and each top architecture written out as JSON and drawings (ArchitectureWriter).
 */
package dev.nasnet.search.report;
