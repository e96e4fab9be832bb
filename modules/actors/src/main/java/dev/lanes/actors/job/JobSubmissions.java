package dev.lanes.actors.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.actors.LanesSettings;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.core.model.JobSpec;
import dev.lanes.core.model.JobValidator;
import dev.lanes.core.model.Pub;
import dev.lanes.core.model.Rejection;
import dev.lanes.core.session.SessionMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns a {@code POST /jobs} body into the {@code Submitted} event, or refuses it with the 4xx of
 * R4. Nothing is created unless this succeeds.
 */
public final class JobSubmissions {
  private JobSubmissions() {}

  public static JobEvent.Submitted prepare(LanesSettings settings, String instance, String user,
      JsonNode body, String idempotencyKey, String sessionId, SessionMode sessionMode, Instant now) {
    if (body == null || !body.isObject()) {
      throw InvalidJobException.bad("body", "must be a JSON object");
    }
    String program = text(body, "program_id", true);
    String backendName = text(body, "backend", true);
    BackendSpec backend = settings.backend(backendName).orElseThrow(() ->
        new InvalidJobException(Rejection.notFound("backend", "backend not found: '" + backendName + "'")));
    if (!JobValidator.PROGRAMS.contains(program)) {
      throw new InvalidJobException(Rejection.notFound("program_id", "program not found: '" + program + "'"));
    }
    List<String> tags = tags(body.get("tags"));
    Long cost = cost(body.get("cost"));
    List<Pub> pubs = PubParser.parse(program, body.get("params"), settings.jobLimits().defaultShots());
    JobSpec spec = new JobSpec(program, backendName, pubs, tags, cost, body.get("params").toString());
    JobValidator.validate(spec, backend, settings.jobLimits()).ifPresent(r -> {
      throw new InvalidJobException(r);
    });
    var shape = spec.shape();
    double estimate = backend.timing().quantum(shape).toNanos() / 1e9;
    return new JobEvent.Submitted(jobId(instance, idempotencyKey, now), instance, user, backendName, program,
        sessionId, sessionMode, tags, cost, JobValidator.effectiveMaxExecutionSeconds(cost, settings.jobLimits()),
        spec.paramsJson(), shape, estimate, idempotencyKey, now);
  }

  /**
   * A retried POST with the same {@code Idempotency-Key} maps to the same job id, so the job's own
   * journal makes the retry harmless and the key survives restarts.
   */
  static String jobId(String instance, String idempotencyKey, Instant now) {
    if (idempotencyKey == null || idempotencyKey.isEmpty()) {
      return dev.lanes.core.model.TimeOrderedIds.next(now.toEpochMilli()).toString();
    }
    return jobId(instance, idempotencyKey, 0);
  }

  /**
   * The id of generation {@code generation} of a key (issue 8): 0 is the key's first use (the id
   * it always had); once generation n's job is older than the key's time to live, the key's next
   * use creates generation n+1 ({@link dev.lanes.core.limits.Idempotency}).
   */
  public static String jobId(String instance, String idempotencyKey, int generation) {
    String name = instance + "\n" + idempotencyKey + (generation == 0 ? "" : "\n" + generation);
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The same submit under another id (another generation of its key). */
  public static JobEvent.Submitted withJobId(JobEvent.Submitted s, String jobId) {
    return new JobEvent.Submitted(jobId, s.instance(), s.userId(), s.backend(), s.programId(), s.sessionId(),
        s.sessionMode(), s.tags(), s.cost(), s.maxExecutionSeconds(), s.paramsJson(), s.shape(),
        s.estimatedQuantumSeconds(), s.idempotencyKey(), s.at());
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * Whether two jobs' params are the same request: the same text (as stored, re-serialised from
   * the parsed body), or the same JSON value with object keys in another order.
   */
  public static boolean sameParams(String a, String b) {
    if (java.util.Objects.equals(a, b)) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    try {
      return JSON.readTree(a).equals(JSON.readTree(b));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw InvalidJobException.bad(field, "is required");
      }
      return null;
    }
    if (!n.isTextual() || n.textValue().isEmpty()) {
      throw InvalidJobException.bad(field, "must be a non-empty string");
    }
    return n.textValue();
  }

  private static List<String> tags(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw InvalidJobException.bad("tags", "must be an array of strings");
    }
    for (JsonNode t : n) {
      if (!t.isTextual()) {
        throw InvalidJobException.bad("tags", "must be an array of strings");
      }
      out.add(t.textValue());
    }
    return out;
  }

  private static Long cost(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 1) {
      throw InvalidJobException.bad("cost", "must be a positive integer number of seconds");
    }
    return n.longValue();
  }
}
