package dev.nasnet.search.cluster;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSortedSet;
import dev.nasnet.search.trial.PortableTrial;
import java.util.Collection;
import java.util.ServiceLoader;

/**
 * The trial classes a worker agrees to run: those listed in {@code META-INF/services/dev.nasnet.search.trial.PortableTrial}
 * on its class path (the library's own trials, and any the user registers the same way) plus those named on its
 * command line. A ticket's class name is checked against the list before anything is loaded, and the class is then
 * loaded without running its static initialiser until it proved to be a {@link PortableTrial}: a ticket that names
 * {@code java.lang.Runtime}, or any class that does work when initialised, runs nothing.
 */
public final class TrialClassAllowList {
  private final ImmutableSortedSet<String> names;
  private final ClassLoader loader;

  private TrialClassAllowList(Collection<String> names, ClassLoader loader) {
    this.names = ImmutableSortedSet.copyOf(names);
    this.loader = loader;
  }

  /** The registered trials ({@link ServiceLoader} listings, read without instantiating them) plus {@code extra}. */
  public static TrialClassAllowList registeredPlus(Collection<String> extra) {
    ClassLoader loader = TrialClassAllowList.class.getClassLoader();
    ImmutableSortedSet.Builder<String> names = ImmutableSortedSet.naturalOrder();
    // Provider.type() loads the listed class without initialising or instantiating it.
    ServiceLoader.load(PortableTrial.class, loader).stream().forEach(p -> names.add(p.type().getName()));
    TrialClassAllowList list = new TrialClassAllowList(names.addAll(extra).build(), loader);
    for (String n : extra) {
      list.check(n); // a typo in --trial-class is said at start, not when the first ticket comes
    }
    return list;
  }

  public ImmutableSortedSet<String> names() {
    return names;
  }

  /**
   * The class, if it is on the list, on the class path and a {@link PortableTrial}; not initialised.
   *
   * @throws IllegalArgumentException naming the class and what is wrong with it
   */
  public Class<? extends PortableTrial> check(String className) {
    Preconditions.checkArgument(className != null && names.contains(className), "trial class %s is not on this "
        + "worker's allow-list %s; register it in META-INF/services/%s or start the worker with --trial-class %s",
        className, names, PortableTrial.class.getName(), className);
    Class<?> c;
    try {
      c = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("trial class " + className + " is not on this worker's class path", e);
    }
    Preconditions.checkArgument(PortableTrial.class.isAssignableFrom(c), "trial class %s does not implement %s",
        className, PortableTrial.class.getName());
    return c.asSubclass(PortableTrial.class);
  }

  @Override
  public String toString() {
    return names.toString();
  }
}
