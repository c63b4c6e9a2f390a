/**
 * Trials on many machines through Hazelcast: the trial executor a search runs on the controller, the worker
 * that runs trial JVMs, leases, settings and messages. The only module that depends on Hazelcast.
 */
package dev.nasnet.search.cluster;
