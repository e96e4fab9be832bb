package dev.lanes.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.core.model.JobLimits;
import dev.lanes.core.model.TimingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every key under {@code lanes} (config.md), read once. Nothing else reads configuration. */
public record LanesSettings(
    String httpHost,
    int httpPort,
    String dataDir,
    String storage,
    Map<String, BackendSpec> backends,
    Map<String, InstanceSettings> instances,
    Map<String, TokenSettings> tokens,
    Duration sessionInteractiveTtl,
    Duration sessionMaxTtl,
    Duration sessionUnusedTimeout,
    Duration batchInteractiveTtl,
    Duration batchMaxTtl,
    JobLimits jobLimits,
    boolean requeueInterrupted,
    Duration fairShareWindow,
    Duration fairShareMaxWait,
    Duration askTimeout,
    String readJournalPluginId) {

  public record InstanceSettings(
      String id,
      String plan,
      double allocationSeconds,
      Double usageLimitSeconds,
      boolean limited,
      boolean sessionsAllowed,
      boolean rejectWhenExceeded) {}

  public record TokenSettings(String token, String user, List<String> instances, boolean admin) {}

  /**
   * The node's whole configuration: {@code overrides} (a user's --config file, a test's keys) over
   * Lanes' Akka settings ({@code lanes-akka.conf}), over application.conf and the reference
   * defaults. Akka's own defaults come last, so Lanes' choices (cluster provider, port 0) hold.
   */
  public static Config load(Config overrides) {
    return overrides
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(LanesSettings.class.getClassLoader(), "lanes-akka.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  /** Reads {@code lanes} from the full config; a bad key stops the node with its name. */
  public static LanesSettings create(Config root) {
    Config c = root.getConfig("lanes");
    return new LanesSettings(
        c.getString("http.host"),
        c.getInt("http.port"),
        c.getString("data-dir"),
        c.getString("storage"),
        backends(c),
        instances(c),
        tokens(c),
        c.getDuration("sessions.interactive-ttl"),
        c.getDuration("sessions.max-ttl"),
        c.getDuration("sessions.unused-timeout"),
        c.getDuration("batches.interactive-ttl"),
        c.getDuration("batches.max-ttl"),
        new JobLimits(
            c.getLong("jobs.max-executions"),
            c.getBytes("jobs.max-payload"),
            c.getInt("jobs.max-tags"),
            c.getInt("jobs.max-tag-length"),
            c.getDuration("jobs.max-execution-time"),
            c.getInt("jobs.default-shots")),
        c.getBoolean("jobs.requeue-interrupted"),
        c.getDuration("fair-share.window"),
        c.getDuration("fair-share.max-wait"),
        c.getDuration("ask-timeout"),
        c.getString("read-journal-plugin"));
  }

  public Optional<BackendSpec> backend(String name) {
    return Optional.ofNullable(backends.get(name));
  }

  private static Map<String, BackendSpec> backends(Config c) {
    Map<String, BackendSpec> out = new LinkedHashMap<>();
    List<? extends Config> list = c.getConfigList("backends");
    for (int i = 0; i < list.size(); i++) {
      Config b = list.get(i).withFallback(c.getConfig("backend-defaults"));
      String path = "lanes.backends[" + i + "]";
      String name = b.getString("name");
      int lanes = b.getInt("lanes");
      if (lanes < 1) {
        throw new ConfigException.BadValue(path + ".lanes", "must be at least 1, got " + lanes);
      }
      if (out.containsKey(name)) {
        throw new ConfigException.BadValue(path + ".name", "duplicate backend name '" + name + "'");
      }
      Config t = b.getConfig("timing");
      TimingModel timing = new TimingModel(
          t.getDuration("prep-per-circuit"),
          t.getDuration("post-per-circuit"),
          t.getDuration("job-overhead"),
          t.getDuration("job-overhead-per-qubit-layer"),
          t.getDuration("shot-time"),
          t.getDuration("layer-time"));
      String status = b.getString("status");
      out.put(name, new BackendSpec(name, b.getInt("qubits"), lanes, "paused".equals(status), timing,
          b.getString("version")));
    }
    return out;
  }

  private static Map<String, InstanceSettings> instances(Config c) {
    Map<String, InstanceSettings> out = new LinkedHashMap<>();
    for (Config i : c.getConfigList("instances")) {
      Config x = i.withFallback(c.getConfig("instance-defaults"));
      String id = x.getString("id");
      out.put(id, new InstanceSettings(
          id,
          x.getString("plan"),
          x.getDouble("allocation-seconds"),
          x.getIsNull("usage-limit-seconds") ? null : x.getDouble("usage-limit-seconds"),
          x.getBoolean("limited"),
          x.getBoolean("sessions-allowed"),
          x.getBoolean("reject-when-exceeded")));
    }
    return out;
  }

  private static Map<String, TokenSettings> tokens(Config c) {
    Map<String, TokenSettings> out = new LinkedHashMap<>();
    Set<String> known = new HashSet<>();
    c.getConfigList("instances").forEach(i -> known.add(i.getString("id")));
    List<? extends Config> list = c.getConfigList("tokens");
    for (int i = 0; i < list.size(); i++) {
      Config t = list.get(i);
      List<String> inst = new ArrayList<>(t.getStringList("instances"));
      for (String id : inst) {
        if (!known.contains(id)) {
          throw new ConfigException.BadValue("lanes.tokens[" + i + "].instances",
              "names unknown instance '" + id + "'");
        }
      }
      String token = t.getString("token");
      out.put(token, new TokenSettings(token, t.getString("user"), List.copyOf(inst),
          t.hasPath("admin") && t.getBoolean("admin")));
    }
    return out;
  }
}
