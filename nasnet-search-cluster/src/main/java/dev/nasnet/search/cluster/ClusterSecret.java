package dev.nasnet.search.cluster;

import com.google.common.base.Preconditions;
import com.google.common.io.BaseEncoding;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's shared secret and the one place messages are signed and checked: an HMAC-SHA256 over a message's
 * kind, session, trial id, attempt and body, so a signed result cannot be replayed for another trial or attempt. The
 * cluster name is derived from the secret too, so Hazelcast turns away members that do not have it. Hazelcast's
 * open-source edition authenticates nobody; this is our layer on top. Without a secret ({@link #none()}) messages carry
 * no signature and every message passes: only for loopback or an explicitly insecure cluster.
 */
public final class ClusterSecret {
  /** The environment variable that names the secret file when no option does. */
  public static final String ENVIRONMENT = "NASNET_CLUSTER_SECRET_FILE";
  /** Shorter secrets can be guessed offline from one signed message. */
  public static final int MIN_BYTES = 16;
  /** Bigger messages are refused before they are parsed. */
  static final int MAX_MESSAGE_CHARS = 4 << 20;

  private static final ClusterSecret NONE = new ClusterSecret(null);
  private final byte[] key;

  private ClusterSecret(byte[] key) {
    this.key = key;
  }

  /** No secret: messages are not signed and not checked. */
  public static ClusterSecret none() {
    return NONE;
  }

  /** A secret from bytes (tests, and {@link #read}). */
  public static ClusterSecret of(byte[] secret) {
    Preconditions.checkArgument(secret.length >= MIN_BYTES, "a cluster secret needs at least %s bytes, got %s; "
        + "make one with: openssl rand -hex 32 > FILE", MIN_BYTES, secret.length);
    return new ClusterSecret(secret.clone());
  }

  /**
   * Reads the secret from a file that only its owner may read (like an SSH key); surrounding white space (a trailing
   * newline) is not part of it.
   *
   * @throws IllegalArgumentException when the file is missing, readable by group or others, empty or too short
   */
  public static ClusterSecret read(Path file) {
    Preconditions.checkArgument(Files.isRegularFile(file), "cluster secret file %s does not exist", file);
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null) {
      Set<PosixFilePermission> perms;
      try {
        perms = posix.readAttributes().permissions();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the permissions of cluster secret file " + file, e);
      }
      boolean open = perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
      Preconditions.checkArgument(!open, "cluster secret file %s is readable by group or others; "
          + "run: chmod 600 %s", file, file);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cluster secret file " + file, e);
    }
    byte[] secret = text.getBytes(StandardCharsets.UTF_8);
    Preconditions.checkArgument(secret.length >= MIN_BYTES, "cluster secret file %s holds %s bytes; at least %s are "
        + "needed: make one with: openssl rand -hex 32 > %s", file, secret.length, MIN_BYTES, file);
    return new ClusterSecret(secret);
  }

  public boolean isPresent() {
    return key != null;
  }

  /**
   * The Hazelcast cluster name for a search named {@code name}: with a secret, the name plus 16 hex digits of an HMAC,
   * so only members with the same secret (and name) join; without one, the name itself.
   */
  public String clusterName(String name) {
    if (key == null) {
      return name;
    }
    byte[] mac = mac(("cluster-name:" + name).getBytes(StandardCharsets.UTF_8));
    return name + "-" + BaseEncoding.base16().lowerCase().encode(mac, 0, 8);
  }

  /** What a signed message says about itself, once its signature checked. */
  record Opened(String kind, String session, long id, int attempt, String body) {}

  /** A message that fails its check; the text says why, for the warning. */
  static final class RefusedException extends RuntimeException {
    RefusedException(String why) {
      super(why);
    }
  }

  /** The message as stored in the cluster: a JSON envelope with its context, the body as a string, and the HMAC. */
  String seal(String kind, String session, long id, int attempt, String body) {
    JsonObject o = new JsonObject();
    o.addProperty("kind", kind);
    o.addProperty("session", session);
    o.addProperty("id", id);
    o.addProperty("attempt", attempt);
    o.addProperty("body", body);
    if (key != null) {
      o.addProperty("hmac", BaseEncoding.base16().lowerCase().encode(mac(canonical(kind, session, id, attempt, body))));
    }
    return o.toString();
  }

  /**
   * Checks an envelope of the expected kind and returns its content.
   *
   * @throws RefusedException when it is not an envelope, of another kind, unsigned or wrongly signed
   */
  Opened open(String kind, String envelope) {
    if (envelope == null) {
      throw new RefusedException("no message");
    }
    if (envelope.length() > MAX_MESSAGE_CHARS) {
      throw new RefusedException("message of " + envelope.length() + " characters (at most " + MAX_MESSAGE_CHARS
          + ")");
    }
    Opened m;
    String hmac;
    try {
      JsonObject o = JsonParser.parseString(envelope).getAsJsonObject();
      m = new Opened(string(o, "kind"), string(o, "session"), o.get("id").getAsLong(), o.get("attempt").getAsInt(),
          string(o, "body"));
      hmac = o.has("hmac") ? string(o, "hmac") : null;
    } catch (RuntimeException e) {
      throw new RefusedException("not a signed message (" + e.getClass().getSimpleName() + ")");
    }
    if (!m.kind().equals(kind)) {
      throw new RefusedException("a '" + m.kind() + "' message where a '" + kind + "' was expected");
    }
    if (key != null) {
      if (hmac == null) {
        throw new RefusedException("unsigned");
      }
      byte[] given;
      try {
        given = BaseEncoding.base16().lowerCase().decode(hmac);
      } catch (IllegalArgumentException e) {
        throw new RefusedException("malformed signature");
      }
      byte[] expected = mac(canonical(m.kind(), m.session(), m.id(), m.attempt(), m.body()));
      if (!MessageDigest.isEqual(expected, given)) {
        throw new RefusedException("wrong signature");
      }
    }
    return m;
  }

  private static String string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(field + " is not a string");
    }
    return e.getAsString();
  }

  /** Length-prefixed fields, so no two different messages have the same bytes. */
  private static byte[] canonical(String kind, String session, long id, int attempt, String body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : new String[] {"nasnet-cluster-message-v1", kind, session, Long.toString(id),
        Integer.toString(attempt), body}) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return key == null ? "no cluster secret" : "a cluster secret of " + key.length + " bytes";
  }
}
