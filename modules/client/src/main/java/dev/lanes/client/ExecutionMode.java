package dev.lanes.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;

/**
 * What {@link Session} and {@link Batch} share: opened on a backend, takes jobs until closed, and
 * closes on {@link #close()} so that try-with-resources ends it. In local testing mode (R30) the
 * syntax is accepted and ignored: jobs run at once, the id is null, details are empty, usage is 0.
 */
public abstract sealed class ExecutionMode implements AutoCloseable permits Session, Batch {
  private final Engine engine;
  private final String backend;
  private final String id;

  ExecutionMode(Engine engine, String mode, String backend, Duration maxTtl) {
    this.engine = engine;
    this.backend = backend;
    Integer ttl = maxTtl == null ? null : Math.toIntExact(maxTtl.toSeconds());
    this.id = engine.local() ? null : engine.openSession(mode, backend, ttl).path("id").asText();
  }

  /** The session id on the server; null in local testing mode. */
  public String id() {
    return id;
  }

  public String backend() {
    return backend;
  }

  /** Submits a job into this session or batch; it must name the same backend. */
  public Job run(JobRequest request) {
    return new Job(engine, engine.submit(request, id));
  }

  /** A sampler job of these PUBs on this backend. */
  public Job sampler(Pub... pubs) {
    return run(JobRequest.sampler(backend, pubs));
  }

  /** The session object (api.md "Sessions and batches"); empty in local testing mode. */
  public JsonNode details() {
    return id == null ? JsonNodeFactory.instance.objectNode() : engine.session(id);
  }

  /** Usage charged so far, in seconds ({@code elapsed_time}: R26 for sessions, R25 for batches); 0 locally. */
  public double usage() {
    return id == null ? 0.0 : details().path("elapsed_time").asDouble();
  }

  /**
   * Stops taking jobs; queued and running ones still run, then it closes (R14). Closing twice, or
   * closing one that already ended, is fine.
   */
  @Override
  public void close() {
    if (id != null) {
      try {
        engine.closeSession(id);
      } catch (ConflictException alreadyClosed) {
        // nothing left to close
      }
    }
  }

  /** Ends it now: queued jobs end Cancelled, running ones finish (R15). */
  public void cancel() {
    if (id != null) {
      engine.cancelSession(id);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + (id == null ? "local" : id) + " on " + backend + ")";
  }
}
