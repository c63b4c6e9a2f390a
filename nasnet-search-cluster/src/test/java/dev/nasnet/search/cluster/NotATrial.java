package dev.nasnet.search.cluster;

/** A class that is not a trial and must not be initialised by an allow-list check. */
public final class NotATrial {
  static {
    System.setProperty("nasnet.notatrial", "fired");
  }
}
