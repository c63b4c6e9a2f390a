package dev.nasnet.core.json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.function.Supplier;

/**
 * Reads the fields a JSON object must have, the one way every reader of the library does: a missing or null field
 * is an exception whose message the caller words (naming the file and the field), never a NullPointerException.
 */
public final class JsonFields {
  private JsonFields() {}

  /** The field {@code key}, or the exception {@code missing} supplies when it is absent or null. */
  public static JsonElement required(JsonObject o, String key, Supplier<? extends RuntimeException> missing) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      throw missing.get();
    }
    return e;
  }

  /** The field {@code key}, or an {@link IllegalArgumentException} "{@code where} lacks 'key'". */
  public static JsonElement required(JsonObject o, String key, String where) {
    return required(o, key, () -> new IllegalArgumentException(where + " lacks '" + key + "'"));
  }
}
