package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import com.google.gson.JsonObject;

/**
 * How to run a trial elsewhere: the {@link PortableTrial} class to instantiate and its JSON configuration.
 *
 * @param trialClass fully qualified name of a {@link PortableTrial} with a public no-argument constructor
 */
public record TrialRecipe(String trialClass, JsonObject config) {
  public TrialRecipe {
    Preconditions.checkArgument(trialClass != null && !trialClass.isBlank(), "trial class must be named");
    config = config == null ? new JsonObject() : config.deepCopy();
  }

  @Override
  public JsonObject config() {
    return config.deepCopy();
  }

  public static TrialRecipe of(Class<? extends PortableTrial> trialClass, JsonObject config) {
    return new TrialRecipe(trialClass.getName(), config);
  }

  /**
   * Instantiates the trial class, with a message that says what is wrong when it cannot. The class is loaded without
   * running its static initialiser until it proved to be a {@link PortableTrial}.
   */
  public PortableTrial instantiate() {
    Class<?> c;
    try {
      c = Class.forName(trialClass, false, TrialRecipe.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("trial class " + trialClass + " is not on the class path", e);
    }
    if (!PortableTrial.class.isAssignableFrom(c)) {
      throw new IllegalArgumentException("trial class " + trialClass + " does not implement "
          + PortableTrial.class.getName());
    }
    try {
      return (PortableTrial) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("trial class " + trialClass
          + " needs a public no-argument constructor: " + e, e);
    }
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("class", trialClass);
    o.add("config", config.deepCopy());
    return o;
  }

  public static TrialRecipe fromJson(JsonObject o) {
    return new TrialRecipe(o.get("class").getAsString(), o.getAsJsonObject("config"));
  }
}
