package dev.lanes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.client.LanesApi;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What the driver asks the server about a backend besides single jobs. */
final class ServerView {
  private ServerView() {}

  /** {@code GET /jobs?pending=true&limit=1&backend=…} → {@code count} (Queued + Running). */
  static int pending(LanesApi api, String backend) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("pending", "true");
    q.put("limit", "1");
    q.put("backend", backend);
    q.put("exclude_params", "true");
    return api.jobs(q).path("count").asInt(-1);
  }

  /**
   * Polls the pending count every {@code every} until it is 0; returns the nanoseconds waited, or
   * -1 if the time limit passed first.
   */
  static long awaitIdle(LanesApi api, String backend, Duration limit, Duration every) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + limit.toNanos();
    while (true) {
      // GET /backends is answered from the arbiter's counters; the job list would also ask it for
      // queue positions, a pass over the whole queue in the middle of the dispatch being measured.
      // So the list is read only to confirm, once the backend looks idle.
      JsonNode d = device(api, backend);
      boolean looksIdle = d.path("queue_length").asInt(-1) == 0 && d.path("lanes_busy").asInt(-1) == 0;
      if (looksIdle && pending(api, backend) == 0) {
        return System.nanoTime() - t0;
      }
      if (System.nanoTime() >= deadline) {
        return -1;
      }
      Thread.sleep(every.toMillis());
    }
  }

  /**
   * Polls {@code GET /sessions/{id}} every {@code every} until its state is one of {@code states};
   * returns the last session object seen (its state tells whether the wait succeeded).
   */
  static JsonNode awaitSession(LanesApi api, String id, Set<String> states, Duration limit, Duration every)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      JsonNode s = api.getSession(id);
      if (states.contains(s.path("state").asText()) || System.nanoTime() >= deadline) {
        return s;
      }
      Thread.sleep(every.toMillis());
    }
  }

  /**
   * Pauses the backend (admin tokens) so that jobs submitted now queue in exactly the submit
   * order, whatever the speed of the submits; null when paused, else why not.
   */
  static String tryPause(LanesApi api, String backend) {
    try {
      api.setBackendStatus(backend, "paused");
      return null;
    } catch (dev.lanes.client.LanesApiException e) {
      return e.status() + ": " + e.getMessage();
    }
  }

  /** Status counts of the given jobs, read from the job list of the backend 200 at a time. */
  static Map<String, Integer> statuses(LanesApi api, String backend, Collection<String> ids) {
    Set<String> wanted = new HashSet<>(ids);
    Map<String, Integer> out = new TreeMap<>();
    int seen = 0;
    int offset = 0;
    for (int page = 0; page < 10_000; page++) { // bounded: 2 M jobs
      Map<String, String> q = new LinkedHashMap<>();
      q.put("backend", backend);
      q.put("limit", "200");
      q.put("offset", Integer.toString(offset));
      q.put("exclude_params", "true");
      JsonNode answer = api.jobs(q);
      JsonNode jobs = answer.path("jobs");
      for (JsonNode j : jobs) {
        if (wanted.contains(j.path("id").asText())) {
          out.merge(j.path("status").asText("?"), 1, Integer::sum);
          seen++;
        }
      }
      offset += jobs.size();
      if (jobs.size() == 0 || offset >= answer.path("count").asInt(0)) {
        break;
      }
    }
    if (seen < wanted.size()) {
      out.put("not listed", wanted.size() - seen);
    }
    return out;
  }

  /** The backend's entry of {@code GET /backends}, or a missing node. */
  static JsonNode device(LanesApi api, String backend) {
    for (JsonNode d : api.backends().path("devices")) {
      if (backend.equals(d.path("name").asText())) {
        return d;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
