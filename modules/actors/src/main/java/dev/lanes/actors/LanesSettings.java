package dev.lanes.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.core.model.JobLimits;
import dev.lanes.core.model.TimingModel;
import dev.lanes.core.queue.InstancePlan;
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
    String readJournalPluginId,
    Duration clusterCatchUpAfter,
    Audit audit) {

  /** {@code lanes.audit}: whether state-changing calls are recorded, and for how long (0 = for ever). */
  public record Audit(boolean enabled, Duration retention) {}

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
    ConfigKeys k = new ConfigKeys(c, "lanes");
    Map<String, InstanceSettings> instances = instances(c);
    return new LanesSettings(
        k.string("http.host"),
        k.integer("http.port", 0, 65535),
        k.string("data-dir"),
        k.oneOf("storage", "h2", "postgres"),
        backends(c),
        instances,
        tokens(c, instances.keySet()),
        k.duration("sessions.interactive-ttl", Duration.ofMillis(1)),
        k.duration("sessions.max-ttl", Duration.ofSeconds(1)),
        k.duration("sessions.unused-timeout", Duration.ofMillis(1)),
        k.duration("batches.interactive-ttl", Duration.ofMillis(1)),
        k.duration("batches.max-ttl", Duration.ofSeconds(1)),
        new JobLimits(
            k.longValue("jobs.max-executions", 1),
            k.bytes("jobs.max-payload", 1024),
            k.integer("jobs.max-tags", 0, 10_000),
            k.integer("jobs.max-tag-length", 1, 1_000_000),
            k.duration("jobs.max-execution-time", Duration.ofSeconds(1)),
            k.integer("jobs.default-shots", 1, Integer.MAX_VALUE)),
        k.bool("jobs.requeue-interrupted"),
        k.duration("fair-share.window", Duration.ofSeconds(1)),
        k.duration("fair-share.max-wait", Duration.ofSeconds(1)),
        k.duration("ask-timeout", Duration.ofMillis(1)),
        k.string("read-journal-plugin"),
        k.duration("cluster.catch-up-after", Duration.ofMillis(1)),
        new Audit(k.bool("audit.enabled"), k.duration("audit.retention", Duration.ZERO)));
  }

  /** What fair share and limits need of an instance (R5c, R8); null if it is not configured. */
  public InstancePlan instancePlan(String instanceId) {
    InstanceSettings i = instances.get(instanceId);
    return i == null ? null
        : new InstancePlan(i.allocationSeconds(), i.usageLimitSeconds(), i.limited(), i.rejectWhenExceeded());
  }

  public Optional<BackendSpec> backend(String name) {
    return Optional.ofNullable(backends.get(name));
  }

  private static Map<String, BackendSpec> backends(Config c) {
    Map<String, BackendSpec> out = new LinkedHashMap<>();
    List<? extends Config> list = c.getConfigList("backends");
    for (int i = 0; i < list.size(); i++) {
      ConfigKeys b = new ConfigKeys(list.get(i).withFallback(c.getConfig("backend-defaults")), "lanes.backends[" + i + "]");
      String name = b.string("name");
      if (name.isBlank() || out.containsKey(name)) {
        throw b.bad("name", name.isBlank() ? "must not be empty" : "duplicate backend name '" + name + "'");
      }
      TimingModel timing = new TimingModel(
          b.duration("timing.prep-per-circuit", Duration.ZERO),
          b.duration("timing.post-per-circuit", Duration.ZERO),
          b.duration("timing.job-overhead", Duration.ZERO),
          b.duration("timing.job-overhead-per-qubit-layer", Duration.ZERO),
          b.duration("timing.shot-time", Duration.ZERO),
          b.duration("timing.layer-time", Duration.ZERO));
      boolean paused = b.oneOf("status", "online", "paused").equals("paused");
      out.put(name, new BackendSpec(name, b.integer("qubits", 1, 100_000), b.integer("lanes", 1, 10_000), paused,
          timing, b.string("version"), b.duration("calibration.every", Duration.ZERO),
          b.duration("calibration.duration", Duration.ZERO)));
    }
    return out;
  }

  private static Map<String, InstanceSettings> instances(Config c) {
    Map<String, InstanceSettings> out = new LinkedHashMap<>();
    List<? extends Config> list = c.getConfigList("instances");
    for (int i = 0; i < list.size(); i++) {
      ConfigKeys x = new ConfigKeys(list.get(i).withFallback(c.getConfig("instance-defaults")), "lanes.instances[" + i + "]");
      String id = x.string("id");
      if (id.isBlank() || out.containsKey(id)) {
        throw x.bad("id", id.isBlank() ? "must not be empty" : "duplicate instance id '" + id + "'");
      }
      out.put(id, new InstanceSettings(
          id,
          x.string("plan"),
          x.number("allocation-seconds", 0),
          x.isNull("usage-limit-seconds") ? null : x.number("usage-limit-seconds", 0),
          x.bool("limited"),
          x.bool("sessions-allowed"),
          x.bool("reject-when-exceeded")));
    }
    return out;
  }

  private static Map<String, TokenSettings> tokens(Config c, Set<String> known) {
    Map<String, TokenSettings> out = new LinkedHashMap<>();
    List<? extends Config> list = c.getConfigList("tokens");
    for (int i = 0; i < list.size(); i++) {
      Config t = list.get(i);
      ConfigKeys k = new ConfigKeys(t, "lanes.tokens[" + i + "]");
      List<String> inst = new ArrayList<>(t.getStringList("instances"));
      for (String id : inst) {
        if (!known.contains(id)) {
          throw k.bad("instances", "names unknown instance '" + id + "'");
        }
      }
      String token = k.string("token");
      if (token.isBlank() || out.containsKey(token)) {
        throw k.bad("token", token.isBlank() ? "must not be empty" : "the same token is listed twice");
      }
      out.put(token, new TokenSettings(token, k.string("user"), List.copyOf(inst), t.hasPath("admin") && k.bool("admin")));
    }
    return out;
  }
}
