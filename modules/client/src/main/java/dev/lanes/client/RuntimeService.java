package dev.lanes.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The entry point of the Java client: a Lanes server (url, token, instance), or
 * {@link #local()} for local testing mode (R30), with the same calls.
 *
 * <pre>{@code
 * RuntimeService service = RuntimeService.connect("http://127.0.0.1:8080", "demo-token");
 * try (Session session = service.session("sim_kyiv")) {
 *   Job job = session.sampler(Pub.qasm(bell).withShots(1000));
 *   Map<String, Long> counts = job.result().counts();
 * }
 * }</pre>
 *
 * Calls the server failed (5xx) or did not answer are retried with back-off where that is safe:
 * reads, and job and session creation, which carry an {@code Idempotency-Key} so a retry can never
 * create a second one. Errors are {@link LanesApiException}s typed by what went wrong, carrying the
 * server's message.
 */
public final class RuntimeService {
  private final Engine engine;

  private RuntimeService(Engine engine) {
    this.engine = engine;
  }

  /** A server at {@code url} ({@code http://host:port}), for a token with one instance. */
  public static RuntimeService connect(String url, String token) {
    return builder(url, token).build();
  }

  /** A server at {@code url}, using {@code instance} of the token's (the {@code Service-CRN}). */
  public static RuntimeService connect(String url, String token, String instance) {
    return builder(url, token).instance(instance).build();
  }

  /** For the settings beyond url and token: instance, timeouts, retries. */
  public static Builder builder(String url, String token) {
    return new Builder(url, token);
  }

  /**
   * Local testing mode (R30): no server; jobs run at once in this process on the built-in
   * simulator, whatever backend they name. Sessions and batches are accepted and ignored (null
   * ids, empty details, usage 0).
   */
  public static RuntimeService local() {
    return new RuntimeService(new LocalEngine(Clock.systemUTC()));
  }

  public boolean isLocal() {
    return engine.local();
  }

  /** Submits a job in job mode: it waits in the backend's fair-share queue. */
  public Job run(JobRequest request) {
    return new Job(engine, engine.submit(request, null));
  }

  /** A job by id (one of this instance's: others are not found). */
  public Job job(String id) {
    engine.job(id);
    return new Job(engine, id);
  }

  /** Opens a dedicated session on {@code backend} with the server's default max TTL. */
  public Session session(String backend) {
    return session(backend, null);
  }

  /** Opens a dedicated session; {@code maxTtl} null for the server's default. */
  public Session session(String backend, Duration maxTtl) {
    return new Session(engine, backend, maxTtl);
  }

  /** Opens a batch on {@code backend} with the server's default max TTL. */
  public Batch batch(String backend) {
    return batch(backend, null);
  }

  /** Opens a batch; {@code maxTtl} null for the server's default. */
  public Batch batch(String backend, Duration maxTtl) {
    return new Batch(engine, backend, maxTtl);
  }

  /** The instance's usage over the rolling window (api.md "Instances"). */
  public JsonNode usage() {
    return engine.usage();
  }

  /** The backends, with their lanes and queues (api.md {@code GET /backends}). */
  public JsonNode backends() {
    return engine.backends();
  }

  /** Settings of a connection to a server. */
  public static final class Builder {
    private final String url;
    private final String token;
    private String instance;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int attempts = 6;
    private Duration firstRetryPause = Duration.ofMillis(250);

    private Builder(String url, String token) {
      this.url = Objects.requireNonNull(url, "url");
      this.token = Objects.requireNonNull(token, "token");
    }

    /** The instance to use ({@code Service-CRN}); needed when the token has more than one. */
    public Builder instance(String instance) {
      this.instance = instance;
      return this;
    }

    /** How long one HTTP call may take (default 30 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Tries a retryable call up to {@code attempts} times, pausing {@code firstPause}, then twice
     * as long each time, at most 4 s (default 6 attempts from 250 ms: about 8 s, a cluster's
     * fail-over).
     */
    public Builder retries(int attempts, Duration firstPause) {
      this.attempts = attempts;
      this.firstRetryPause = Objects.requireNonNull(firstPause, "firstPause");
      return this;
    }

    public RuntimeService build() {
      return new RuntimeService(new RemoteEngine(new LanesApi(url, token, instance, requestTimeout),
          new Retrier(attempts, firstRetryPause)));
    }
  }
}
