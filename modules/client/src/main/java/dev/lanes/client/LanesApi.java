package dev.lanes.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeoutException;

/**
 * A small blocking client of the Lanes HTTP API v1 (design/api.md). One instance holds one
 * {@link HttpClient} speaking HTTP/1.1 with keep-alive, so calls made one after another reuse the
 * same connection; calls made concurrently from several threads open one connection each. Safe to
 * share between threads.
 *
 * <p>Non-2xx answers throw {@link LanesApiException} with the status and the server's message;
 * transport failures throw {@link UncheckedIOException}.
 */
public final class LanesApi {
  /** Final job statuses (api.md "Jobs"). */
  public static final Set<String> FINAL_STATUSES = Set.of("Completed", "Failed", "Cancelled");

  static final Duration FIRST_POLL = Duration.ofMillis(50);
  static final double POLL_FACTOR = 1.5;
  static final Duration MAX_POLL = Duration.ofSeconds(1);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI api;
  private final URI root;
  private final String token;
  private final String instance;
  private final Duration requestTimeout;
  private final HttpClient http;

  /** A client of the server at {@code baseUrl} ({@code http://host:port}, with or without {@code /api/v1}). */
  public LanesApi(String baseUrl, String token) {
    this(baseUrl, token, null);
  }

  /** As {@link #LanesApi(String, String)}, selecting {@code instance} with the {@code Service-CRN} header. */
  public LanesApi(String baseUrl, String token, String instance) {
    this(baseUrl, token, instance, Duration.ofSeconds(30));
  }

  public LanesApi(String baseUrl, String token, String instance, Duration requestTimeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String base = baseUrl.replaceAll("/+$", "");
    if (base.endsWith("/api/v1")) {
      base = base.substring(0, base.length() - "/api/v1".length());
    }
    this.root = URI.create(base + "/");
    this.api = URI.create(base + "/api/v1/");
    this.token = Objects.requireNonNull(token, "token");
    this.instance = instance == null || instance.isBlank() ? null : instance;
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** {@code POST /jobs} with a JSON body; returns the new job's id. */
  public String submit(String jsonBody) {
    return submit(jsonBody, null);
  }

  /** {@code POST /jobs}; a retry with the same {@code idempotencyKey} returns the first job's id. */
  public String submit(String jsonBody, String idempotencyKey) {
    HttpRequest.Builder b = request("jobs")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    JsonNode answer = send(b.build()).orElseThrow(() -> new LanesApiException(204, "POST /jobs answered without a body"));
    JsonNode id = answer.get("id");
    if (id == null || !id.isTextual()) {
      throw new LanesApiException(200, "POST /jobs answer has no job id: " + answer);
    }
    return id.textValue();
  }

  /** {@code POST /jobs} with a body built by the caller as a tree. */
  public String submit(JsonNode body) {
    return submit(body.toString(), null);
  }

  /**
   * {@code POST /jobs} into a session or batch: {@code jsonBody} (a job object without
   * {@code session_id}) with {@code "session_id": sessionId} added.
   */
  public String submitToSession(String sessionId, String jsonBody) {
    return submitToSession(sessionId, jsonBody, null);
  }

  /** As above; a retry with the same {@code idempotencyKey} answers the job first created. */
  public String submitToSession(String sessionId, String jsonBody, String idempotencyKey) {
    Objects.requireNonNull(sessionId, "sessionId");
    JsonNode body;
    try {
      body = JSON.readTree(jsonBody);
    } catch (IOException e) {
      throw new IllegalArgumentException("job body is not JSON: " + e.getMessage(), e);
    }
    if (!(body instanceof ObjectNode o)) {
      throw new IllegalArgumentException("job body is not a JSON object");
    }
    o.put("session_id", sessionId);
    return submit(o.toString(), idempotencyKey);
  }

  /**
   * {@code POST /sessions}: opens a session ({@code mode} "dedicated") or a batch ("batch") on
   * {@code backend}; {@code maxTtlSeconds} null leaves the server's default. Returns the session
   * object (its {@code id}, {@code state}, …).
   */
  public JsonNode openSession(String mode, String backend, Integer maxTtlSeconds) {
    return openSession(mode, backend, maxTtlSeconds, null);
  }

  /** As above; a retry with the same {@code idempotencyKey} answers the session first opened. */
  public JsonNode openSession(String mode, String backend, Integer maxTtlSeconds, String idempotencyKey) {
    ObjectNode body = JSON.createObjectNode()
        .put("mode", Objects.requireNonNull(mode, "mode"))
        .put("backend", Objects.requireNonNull(backend, "backend"));
    if (maxTtlSeconds != null) {
      body.put("max_ttl", maxTtlSeconds);
    }
    HttpRequest.Builder b = request("sessions")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    JsonNode answer = send(b.build()).orElseThrow(() -> new LanesApiException(204, "POST /sessions answered without a body"));
    if (!answer.path("id").isTextual()) {
      throw new LanesApiException(200, "POST /sessions answer has no session id: " + answer);
    }
    return answer;
  }

  /** {@code GET /sessions/{id}}: the session object. */
  public JsonNode getSession(String id) {
    return get("sessions/" + segment(id));
  }

  /**
   * {@code PATCH /sessions/{id}} with {@code {"accepting_jobs": false}}: the client's close (R14);
   * queued and running jobs still run, then the session closes.
   */
  public void closeSession(String id) {
    send(request("sessions/" + segment(id))
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"accepting_jobs\":false}", StandardCharsets.UTF_8))
        .build());
  }

  /** {@code DELETE /sessions/{id}/close}: the client's cancel (R15); queued jobs end Cancelled. */
  public void cancelSession(String id) {
    send(request("sessions/" + segment(id) + "/close").DELETE().build());
  }

  /** {@code GET /jobs/{id}}: the job object. */
  public JsonNode job(String id) {
    return get("jobs/" + segment(id));
  }

  /** {@code GET /jobs/{id}/metrics}. */
  public JsonNode metrics(String id) {
    return get("jobs/" + segment(id) + "/metrics");
  }

  /** {@code GET /jobs/{id}/results}: empty while the job is not {@code Completed} (204). */
  public Optional<JsonNode> results(String id) {
    return send(request("jobs/" + segment(id) + "/results").GET().build());
  }

  /** {@code POST /jobs/{id}/cancel}; a final job answers 409. */
  public void cancel(String id) {
    send(request("jobs/" + segment(id) + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /** {@code GET /backends}: {@code {"devices":[…]}}. */
  public JsonNode backends() {
    return get("backends");
  }

  /** {@code GET /backends/{name}/configuration}. */
  public JsonNode backendConfiguration(String name) {
    return get("backends/" + segment(name) + "/configuration");
  }

  /** {@code PATCH /admin/backends/{name}} with {@code {"status": "paused"|"online"}} (admin tokens only). */
  public void setBackendStatus(String name, String status) {
    String body = "{\"status\":" + JSON.valueToTree(status) + "}";
    send(request("admin/backends/" + segment(name))
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build());
  }

  /** {@code GET /jobs} with query parameters (e.g. {@code pending=true}, {@code limit=1}). */
  public JsonNode jobs(Map<String, String> query) {
    StringJoiner q = new StringJoiner("&");
    query.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
    return get(query.isEmpty() ? "jobs" : "jobs?" + q);
  }

  /** {@code GET /health/ready} answered 200. */
  public boolean ready() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(root.resolve("health/ready"))
          .timeout(requestTimeout).GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Polls {@code GET /jobs/{id}} until the job is final and returns that job object. Polls back
   * off from 50 ms by ×1.5 up to 1 s between calls.
   *
   * @throws TimeoutException if the job is not final within {@code timeout}
   */
  public JsonNode waitForFinal(String id, Duration timeout) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseNanos = FIRST_POLL.toNanos();
    while (true) {
      JsonNode job = job(id);
      if (isFinal(job)) {
        return job;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("job " + id + " is not final after " + timeout + " (status "
            + job.path("status").asText("?") + ")");
      }
      sleepNanos(Math.min(pauseNanos, left));
      pauseNanos = Math.min((long) (pauseNanos * POLL_FACTOR), MAX_POLL.toNanos());
    }
  }

  /** True when a job object's status is Completed, Failed or Cancelled. */
  public static boolean isFinal(JsonNode job) {
    String status = job.path("status").asText(job.path("state").path("status").asText(""));
    return FINAL_STATUSES.contains(status);
  }

  private JsonNode get(String path) {
    return send(request(path).GET().build())
        .orElseThrow(() -> new LanesApiException(204, "GET " + path + " answered without a body"));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path))
        .timeout(requestTimeout)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
    if (instance != null) {
      b.header("Service-CRN", instance);
    }
    return b;
  }

  /** Sends; 2xx with a body → the parsed body, 2xx without → empty, anything else → exception. */
  private Optional<JsonNode> send(HttpRequest request) {
    HttpResponse<byte[]> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException(request.method() + " " + request.uri() + " interrupted"));
    }
    int status = r.statusCode();
    byte[] body = r.body();
    if (status < 200 || status > 299) {
      throw new LanesApiException(status, errorMessage(status, body));
    }
    if (body == null || body.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(body));
    } catch (IOException e) {
      throw new LanesApiException(status, request.method() + " " + request.uri() + " answered " + status
          + " with a body that is not JSON: " + e.getMessage());
    }
  }

  static String errorMessage(int status, byte[] body) {
    if (body != null && body.length > 0) {
      try {
        JsonNode n = JSON.readTree(body);
        JsonNode m = n == null ? null : n.path("errors").path(0).path("message");
        if (m != null && m.isTextual()) {
          return m.textValue();
        }
      } catch (IOException ignored) {
        // not the API's error body: fall back to the raw text
      }
      String raw = new String(body, StandardCharsets.UTF_8).strip();
      return raw.length() > 500 ? raw.substring(0, 500) + "…" : raw;
    }
    return "HTTP " + status;
  }

  private static String segment(String s) {
    return encode(s).replace("+", "%20");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for a job"));
    }
  }

  /** {@code GET /instances/usage}: the selected instance's usage over the rolling window. */
  public JsonNode instanceUsage() {
    return get("instances/usage");
  }
}
