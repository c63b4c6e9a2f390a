/**
 * Proxy tasks: the brief training of a child network on a small dataset whose validation accuracy rewards an
 * architecture during a search, in the search's JVM (ProxyTaskEvaluator) or in a JVM of its own (ProxyTaskTrial).
 */
package dev.nasnet.search.proxy;
