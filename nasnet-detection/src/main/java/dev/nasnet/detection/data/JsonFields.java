package dev.nasnet.detection.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;

/**
 * Typed access to the fields of one JSON entry. Every failure names {@code where} (file and entry) so a bad line in
 * a 400 MB annotations file can be found.
 */
final class JsonFields {

  private JsonFields() {}

  static JsonObject asObject(JsonElement element, String where) {
    if (element == null || !element.isJsonObject()) {
      throw new CocoFormatException(where + ": expected a JSON object, got " + describe(element));
    }
    return element.getAsJsonObject();
  }

  static JsonArray requireArray(JsonObject obj, String field, String where) {
    JsonElement value = require(obj, field, where);
    if (!value.isJsonArray()) {
      throw new CocoFormatException(where + ": field '" + field + "' must be a list, got " + describe(value));
    }
    return value.getAsJsonArray();
  }

  static long requireLong(JsonObject obj, String field, String where) {
    return integral(require(obj, field, where), field, where);
  }

  static int requireInt(JsonObject obj, String field, String where) {
    long value = requireLong(obj, field, where);
    if (value != (int) value) {
      throw new CocoFormatException(where + ": field '" + field + "' is out of int range: " + value);
    }
    return (int) value;
  }

  static int optionalInt(JsonObject obj, String field, int fallback, String where) {
    return obj.has(field) && !obj.get(field).isJsonNull() ? requireInt(obj, field, where) : fallback;
  }

  static String optionalString(JsonObject obj, String field, String where) {
    JsonElement value = obj.get(field);
    if (value == null || value.isJsonNull()) {
      return "";
    }
    if (!value.isJsonPrimitive()) {
      throw new CocoFormatException(where + ": field '" + field + "' must be a string, got " + describe(value));
    }
    return value.getAsString();
  }

  static double requireFiniteDouble(JsonObject obj, String field, String where) {
    return finite(require(obj, field, where), "field '" + field + "'", where);
  }

  /** 0/1 as COCO writes it, or a JSON boolean. */
  static boolean requireFlag(JsonObject obj, String field, String where) {
    return flag(require(obj, field, where), field, where);
  }

  static boolean optionalFlag(JsonObject obj, String field, String where) {
    JsonElement value = obj.get(field);
    return value != null && !value.isJsonNull() && flag(value, field, where);
  }

  /** COCO's {@code [x, y, width, height]}; rejects other lengths, non-finite values and negative sizes. */
  static XywhBox requireBox(JsonObject obj, String field, String where) {
    JsonArray array = requireArray(obj, field, where);
    if (array.size() != 4) {
      throw new CocoFormatException(where + ": field '" + field + "' must hold 4 numbers [x, y, width, height], got "
          + array.size());
    }
    double[] v = new double[4];
    String[] names = {"x", "y", "width", "height"};
    for (int i = 0; i < 4; i++) {
      v[i] = finite(array.get(i), "'" + field + "' " + names[i], where);
    }
    if (v[2] < 0 || v[3] < 0) {
      throw new CocoFormatException(where + ": '" + field + "' has a negative width or height: " + array);
    }
    return new XywhBox(v[0], v[1], v[2], v[3]);
  }

  private static JsonElement require(JsonObject obj, String field, String where) {
    return dev.nasnet.core.json.JsonFields.required(obj, field,
        () -> new CocoFormatException(where + ": required field '" + field + "' is missing"));
  }

  private static long integral(JsonElement value, String field, String where) {
    if (!(value instanceof JsonPrimitive p) || !p.isNumber()) {
      throw new CocoFormatException(where + ": field '" + field + "' must be an integer, got " + describe(value));
    }
    try {
      return new BigDecimal(p.getAsString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new CocoFormatException(where + ": field '" + field + "' must be an integer, got " + p, e);
    }
  }

  private static double finite(JsonElement value, String what, String where) {
    // Python's json writes NaN/Infinity unquoted; Gson's lenient tree parser hands them over as strings.
    if (value instanceof JsonPrimitive p && (p.isNumber() || p.isString())) {
      double d;
      try {
        d = p.getAsDouble();
      } catch (NumberFormatException e) {
        throw new CocoFormatException(where + ": " + what + " must be a number, got " + describe(value), e);
      }
      if (Double.isNaN(d)) {
        throw new CocoFormatException(where + ": " + what + " is NaN");
      }
      if (Double.isInfinite(d)) {
        throw new CocoFormatException(where + ": " + what + " is infinite");
      }
      return d;
    }
    throw new CocoFormatException(where + ": " + what + " must be a number, got " + describe(value));
  }

  private static boolean flag(JsonElement value, String field, String where) {
    if (value instanceof JsonPrimitive p) {
      if (p.isBoolean()) {
        return p.getAsBoolean();
      }
      if (p.isNumber()) {
        long v = integral(p, field, where);
        if (v == 0 || v == 1) {
          return v == 1;
        }
      }
    }
    throw new CocoFormatException(where + ": field '" + field + "' must be 0 or 1, got " + describe(value));
  }

  private static String describe(JsonElement element) {
    if (element == null || element.isJsonNull()) {
      return "null";
    }
    String text = element.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
