/**
 * Search strategies behind one ask/tell/snapshot interface (Strategy): random search, regularized evolution and
 * the paper's controller (PpoController, its LSTM policy and PPO/REINFORCE update in package-private parts).
 */
package dev.nasnet.search.strategy;
