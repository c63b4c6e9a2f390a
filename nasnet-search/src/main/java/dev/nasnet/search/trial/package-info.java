/**
 * Running a search: the Search loop, its journal and strategy snapshots for exact resume, and trial executors
 * that evaluate architectures in threads or in JVMs of their own (PortableTrial, TrialRecipe, TrialProcess).
 */
package dev.nasnet.search.trial;
