package dev.lanes.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * Reads keys of one part of the configuration and, when one is missing, mistyped or out of range,
 * fails with the key's full path (e.g. {@code lanes.backends[1].timing.shot-time}), so a bad
 * configuration stops the node with a message that says where to look. Used by
 * {@link LanesSettings} only.
 */
final class ConfigKeys {
  private final Config config;
  private final String path;

  ConfigKeys(Config config, String path) {
    this.config = config;
    this.path = path;
  }

  String name(String key) {
    return path + "." + key;
  }

  ConfigException bad(String key, String why) {
    return new ConfigException.BadValue(name(key), why);
  }

  /** A duration, at least {@code min}. */
  Duration duration(String key, Duration min) {
    Duration d = read(key, () -> config.getDuration(key));
    if (d.compareTo(min) < 0) {
      throw bad(key, "must be at least " + min.toString().substring(2).toLowerCase() + ", got " + config.getValue(key).render());
    }
    return d;
  }

  int integer(String key, int min, int max) {
    int n = read(key, () -> config.getInt(key));
    if (n < min || n > max) {
      throw bad(key, "must be from " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  long longValue(String key, long min) {
    long n = read(key, () -> config.getLong(key));
    if (n < min) {
      throw bad(key, "must be at least " + min + ", got " + n);
    }
    return n;
  }

  long bytes(String key, long min) {
    long n = read(key, () -> config.getBytes(key));
    if (n < min) {
      throw bad(key, "must be at least " + min + " bytes, got " + n);
    }
    return n;
  }

  double number(String key, double min) {
    double n = read(key, () -> config.getDouble(key));
    if (!(n >= min) || Double.isInfinite(n)) {
      throw bad(key, "must be a number of at least " + min + ", got " + n);
    }
    return n;
  }

  String string(String key) {
    return read(key, () -> config.getString(key));
  }

  boolean bool(String key) {
    return read(key, () -> config.getBoolean(key));
  }

  boolean isNull(String key) {
    return read(key, () -> config.getIsNull(key));
  }

  /** One of a few words. */
  String oneOf(String key, String... allowed) {
    String v = string(key);
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw bad(key, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
  }

  private <T> T read(String key, java.util.function.Supplier<T> get) {
    try {
      return get.get();
    } catch (ConfigException.Missing e) {
      throw new ConfigException.BadValue(name(key), "is missing");
    } catch (ConfigException e) {
      throw new ConfigException.BadValue(name(key), e.getMessage().replaceFirst("^.*?: ", ""));
    }
  }
}
