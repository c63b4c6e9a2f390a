package dev.nasnet.core.json;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JSON form of a config as one list of fields, each with its name, how to write it from the value and how to read
 * it into a builder: writing and reading cannot drift apart, and a field added once is both written and read.
 *
 * @param <T> the config
 * @param <B> its builder
 */
public final class JsonForm<T, B> {
  /**
   * One field.
   *
   * @param write the field's JSON, or null to leave it out (an absent optional field)
   * @param required whether reading refuses an object without it; optional fields keep the builder's default
   */
  public record Field<T, B>(String name, Function<T, JsonElement> write, BiConsumer<B, JsonElement> read,
      boolean required) {}

  private final String what;
  private final ImmutableList<Field<T, B>> fields;

  /** @param what names the config in messages, e.g. "network config" */
  public JsonForm(String what, ImmutableList<Field<T, B>> fields) {
    this.what = what;
    this.fields = fields;
  }

  public static <T, B> Field<T, B> field(String name, Function<T, JsonElement> write, BiConsumer<B, JsonElement> read) {
    return new Field<>(name, write, read, true);
  }

  public static <T, B> Field<T, B> optional(String name, Function<T, JsonElement> write,
      BiConsumer<B, JsonElement> read) {
    return new Field<>(name, write, read, false);
  }

  /** A number, string or boolean as JSON. */
  public static JsonElement value(Object v) {
    if (v instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (v instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    return new JsonPrimitive(String.valueOf(v));
  }

  public JsonObject write(T value) {
    JsonObject o = new JsonObject();
    for (Field<T, B> f : fields) {
      JsonElement e = f.write().apply(value);
      if (e != null) {
        o.add(f.name(), e);
      }
    }
    return o;
  }

  /**
   * Reads every field into {@code builder}; fields the form does not know (such as those older versions wrote) are
   * ignored.
   *
   * @param where names the source in messages, e.g. the file
   */
  public B read(JsonObject o, B builder, String where) {
    for (Field<T, B> f : fields) {
      if (f.required()) {
        f.read().accept(builder, JsonFields.required(o, f.name(), where + ": " + what));
      } else if (o.has(f.name()) && !o.get(f.name()).isJsonNull()) {
        f.read().accept(builder, o.get(f.name()));
      }
    }
    return builder;
  }
}
