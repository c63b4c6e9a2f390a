package dev.nasnet.examples.cli;

import dev.nasnet.search.cluster.ClusterSecret;
import dev.nasnet.search.cluster.ClusterSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that keep a search cluster to its own, shared by {@code search} and {@code worker}: the address to
 * listen on, the secret file (never the secret itself on the command line, where {@code ps} shows it), and the
 * explicit opt-out.
 */
final class ClusterSecurityOptions {
  @Option(names = "--bind", paramLabel = "ADDR", description = "listen on this address only (default: the interface "
      + "that reaches the --cluster addresses; loopback when they are)")
  String bind;

  @Option(names = "--cluster-secret-file", paramLabel = "FILE", defaultValue = "${env:" + ClusterSecret.ENVIRONMENT
      + "}", description = "file with the cluster's shared secret (chmod 600; e.g. openssl rand -hex 32 > FILE), the "
      + "same on every member; default: $" + ClusterSecret.ENVIRONMENT + ". Without one, only loopback")
  Path secretFile;

  @Option(names = "--insecure", description = "allow a cluster without a secret on a network address: anyone who "
      + "reaches the port can then join, run code on the workers and forge results")
  boolean insecure;

  /** The settings with these options; the secret file is read (and checked) now, before any work. */
  ClusterSettings apply(ClusterSettings s) {
    if (secretFile != null && insecure) {
      throw new IllegalArgumentException("--insecure is for a cluster without a secret; --cluster-secret-file "
          + secretFile + " gives one: drop --insecure");
    }
    ClusterSecret secret = secretFile == null ? ClusterSecret.none() : ClusterSecret.read(secretFile);
    return s.withBind(bind).withSecret(secret).withInsecure(insecure);
  }
}
