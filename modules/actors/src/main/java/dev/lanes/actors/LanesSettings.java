package dev.lanes.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.core.model.JobLimits;
import dev.lanes.core.model.TimingModel;
import dev.lanes.core.queue.InstancePlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Every key under {@code lanes} (config.md), read once. Nothing else reads configuration. */
public record LanesSettings(
    String httpHost,
    int httpPort,
    String dataDir,
    String storage,
    Map<String, BackendSpec> backends,
    Map<String, InstanceSettings> instances,
    Map<String, TokenSettings> tokens, // by the token's SHA-256 (lowercase hex): see token(String)
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
    long h2MinFreeBytes,
    Duration httpBodyReadTimeout,
    Duration idempotencyKeyTtl,
    int jobsPerMinute,
    Audit audit) {

  /** {@code lanes.audit}: whether state-changing calls are recorded, and for how long (0 = for ever). */
  public record Audit(boolean enabled, Duration retention) {}
  // idempotencyKeyTtl: how long an Idempotency-Key names its first request (issue 8 item 3).
  // jobsPerMinute: jobs a user may create per minute, per node; 0 = no limit (issue 8 item 4).

  public record InstanceSettings(
      String id,
      String plan,
      double allocationSeconds,
      Double usageLimitSeconds,
      boolean limited,
      boolean sessionsAllowed,
      boolean rejectWhenExceeded) {}

  /**
   * A configured token, known by its SHA-256 only (issue 8, item 7): the plaintext of a
   * {@code token = …} entry is hashed when the config is read and not kept, and a
   * {@code token-sha256 = …} entry never had one. {@link #toString} leaves the digest out too.
   */
  public record TokenSettings(String sha256, String user, List<String> instances, boolean admin) {
    @Override
    public String toString() {
      return "TokenSettings[user=" + user + ", instances=" + instances + ", admin=" + admin + "]";
    }
  }

  /**
   * The token a caller presents, if one is configured: looked up by its SHA-256 (lowercase hex),
   * then the digests compared in constant time ({@link MessageDigest#isEqual}). The lookup's
   * timing can tell only about the digest, which does not help to find a token.
   */
  public Optional<TokenSettings> token(String presented) {
    String digest = sha256Hex(presented);
    TokenSettings t = tokens.get(digest);
    return t != null && MessageDigest.isEqual(digest.getBytes(StandardCharsets.US_ASCII),
        t.sha256().getBytes(StandardCharsets.US_ASCII)) ? Optional.of(t) : Optional.empty();
  }

  /** What {@code printf %s TOKEN | sha256sum} prints: the SHA-256 of the UTF-8 bytes, lowercase hex. */
  public static String sha256Hex(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

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
        k.bytes("h2.min-free-space", 0),
        k.duration("http.body-read-timeout", Duration.ofMillis(1)),
        k.duration("idempotency.key-ttl", Duration.ofSeconds(1)),
        k.integer("limits.jobs-per-minute", 0, 60_000_000),
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

  /**
   * An entry's SHA-256 (lowercase hex): exactly one of {@code token} (hashed here, then dropped) and
   * {@code token-sha256}. Messages name the entry and never echo what was configured.
   */
  private static String tokenDigest(Config t, ConfigKeys k) {
    boolean plain = t.hasPath("token");
    boolean hashed = t.hasPath("token-sha256");
    if (plain == hashed) {
      throw k.bad(plain ? "token-sha256" : "token", plain
          ? "give token or token-sha256, not both"
          : "is missing: give token (the secret) or token-sha256 (its SHA-256: printf %s TOKEN | sha256sum)");
    }
    if (plain) {
      String token = k.string("token");
      if (token.isBlank()) {
        throw k.bad("token", "must not be empty");
      }
      return sha256Hex(token);
    }
    String hex = k.string("token-sha256").trim().toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(hex).matches()) {
      throw k.bad("token-sha256", "must be 64 hex digits, the SHA-256 of the token (printf %s TOKEN | sha256sum); got "
          + hex.length() + " characters");
    }
    return hex;
  }

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

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
      String digest = tokenDigest(t, k);
      if (out.containsKey(digest)) {
        throw k.bad(t.hasPath("token") ? "token" : "token-sha256", "the same token is listed twice");
      }
      out.put(digest, new TokenSettings(digest, k.string("user"), List.copyOf(inst), t.hasPath("admin") && k.bool("admin")));
    }
    return out;
  }
}
