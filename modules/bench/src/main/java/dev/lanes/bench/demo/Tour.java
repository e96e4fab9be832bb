package dev.lanes.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.client.LanesApi;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * What the tour's steps share: the API clients, the backend and its scale, the output, and the
 * summary rows. Progress lines are stamped with the time since the step began (the client's clock:
 * it only paces the story); every figure in a result comes from the server's timestamps and usage.
 */
public final class Tour {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration POLL = Duration.ofMillis(100);

  final LanesApi api;
  /** Another user's client (another instance), or {@link #api} when no second token works. */
  final LanesApi other;
  final boolean otherIsSeparate;
  final String backend;
  final int lanes;
  final Scale scale;
  final PrintStream out;
  final Duration timeout;
  final List<StepResult> results = new ArrayList<>();
  private long stepStart = System.nanoTime();
  /** What the steps' demo-instance jobs and sessions were charged, for the ledger check at the end. */
  private double charged;

  public Tour(LanesApi api, LanesApi other, boolean otherIsSeparate, String backend, int lanes, Scale scale,
      PrintStream out, Duration timeout) {
    this.api = api;
    this.other = other;
    this.otherIsSeparate = otherIsSeparate;
    this.backend = backend;
    this.lanes = lanes;
    this.scale = scale;
    this.out = out;
    this.timeout = timeout;
  }

  public List<StepResult> results() {
    return results;
  }

  /** Records usage charged to the demo instance (checked against GET /instances/usage at the end). */
  void charge(double seconds) {
    charged += seconds;
  }

  public double charged() {
    return charged;
  }

  void heading(String number, String title, String faq) {
    stepStart = System.nanoTime();
    out.println();
    out.println("== " + number + " " + title + " ==");
    out.println("   FAQ: " + faq);
  }

  void say(String line) {
    out.println("   " + line);
  }

  void progress(String line) {
    out.printf(Locale.ROOT, "   [%6.2f s] %s%n", (System.nanoTime() - stepStart) / 1e9, line);
  }

  void result(StepResult r) {
    results.add(r);
    out.println("   => " + (r.ok() ? "" : "NOT AS THE FAQ SAYS: ") + r.what() + ": " + r.time() + ", " + r.cost()
        + "; " + r.outcome());
  }

  /** A sampler job body: {@code pubs} PUBs of {@code circuits} descriptor circuits each. */
  String body(int pubs, int circuits, int qubits, int depth, int shots, String sessionId) {
    ObjectNode b = JSON.createObjectNode().put("program_id", "sampler").put("backend", backend);
    ArrayNode list = b.putObject("params").putArray("pubs");
    for (int i = 0; i < pubs; i++) {
      ArrayNode pub = list.addArray();
      pub.addObject().put("num_qubits", qubits).put("depth", depth).put("circuits", circuits);
      pub.addNull();
      pub.add(shots);
    }
    if (sessionId != null) {
      b.put("session_id", sessionId);
    }
    b.putArray("tags").add("demo");
    return b.toString();
  }

  /** {@code GET /backends}: this backend's device entry. */
  JsonNode device() {
    for (JsonNode d : api.backends().path("devices")) {
      if (backend.equals(d.path("name").asText())) {
        return d;
      }
    }
    throw new IllegalStateException("backend " + backend + " is not in GET /backends");
  }

  /** A labelled group of jobs, watched together. */
  record Group(String name, List<String> ids, LanesApi client) {}

  /** What the watcher saw in one poll: job statuses and the backend's lanes. */
  record Snapshot(Map<String, String> status, int lanesBusy, int queueLength) {
    long count(Group g, String s) {
      return g.ids().stream().filter(id -> s.equals(status.get(id))).count();
    }

    boolean allFinal(List<Group> groups) {
      return groups.stream().allMatch(g -> g.ids().stream().allMatch(id -> LanesApi.FINAL_STATUSES.contains(status.get(id))));
    }
  }

  Snapshot snapshot(List<Group> groups) {
    Map<String, String> status = new LinkedHashMap<>();
    for (Group g : groups) {
      for (String id : g.ids()) {
        JsonNode j = g.client().job(id);
        status.put(id, j.path("status").asText(j.path("state").path("status").asText("?")));
      }
    }
    JsonNode d = device();
    return new Snapshot(status, d.path("lanes_busy").asInt(-1), d.path("queue_length").asInt(-1));
  }

  static String describe(Snapshot s, List<Group> groups, int lanes) {
    StringBuilder sb = new StringBuilder();
    sb.append("lanes ").append(s.lanesBusy()).append('/').append(lanes).append(" busy, queue ").append(s.queueLength());
    for (Group g : groups) {
      sb.append(" | ").append(g.name()).append(':');
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String id : g.ids()) {
        counts.merge(s.status().getOrDefault(id, "?"), 1L, Long::sum);
      }
      for (String st : List.of("Queued", "Running", "Completed", "Failed", "Cancelled", "?")) {
        Long n = counts.get(st);
        if (n != null) {
          sb.append(' ').append(n).append(' ').append(st);
        }
      }
    }
    return sb.toString();
  }

  /**
   * Polls the groups and the backend until {@code until} holds, printing a progress line each time
   * the picture changes; returns the last snapshot.
   */
  Snapshot watch(List<Group> groups, Predicate<Snapshot> until) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    long lastPrint = 0;
    while (true) {
      Snapshot s = snapshot(groups);
      String line = describe(s, groups, lanes);
      // on change, and every 2 s when nothing changes (a long job)
      if (!line.equals(last) || System.nanoTime() - lastPrint > 2_000_000_000L) {
        progress(line);
        last = line;
        lastPrint = System.nanoTime();
      }
      if (until.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("still not there after " + timeout.toSeconds() + " s: " + line);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Watches until every job of the groups is final. */
  Snapshot watchToEnd(List<Group> groups) throws TimeoutException, InterruptedException {
    return watch(groups, s -> s.allFinal(groups));
  }

  /** The jobs as the server recorded them. */
  List<JobRun> runs(Group g, String label) {
    List<JobRun> r = new ArrayList<>();
    for (int i = 0; i < g.ids().size(); i++) {
      String id = g.ids().get(i);
      r.add(JobRun.of(id, label == null ? String.valueOf(i + 1) : label, g.client().job(id), g.client().metrics(id)));
    }
    return r;
  }

  /** Usage consumed by the demo instance so far ({@code GET /instances/usage}). */
  public double instanceUsageNow() {
    return instanceUsage(api);
  }

  /** The backend's entry in {@code GET /backends}. */
  public JsonNode deviceNow() {
    return device();
  }

  static double instanceUsage(LanesApi client) {
    return client.usage().path("usage_consumed_seconds").asDouble();
  }

  /** Polls a session every {@link #POLL} until {@code until} holds; returns the last object seen. */
  JsonNode awaitSession(String id, Predicate<JsonNode> until) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode s = api.getSession(id);
      if (until.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("session " + id + " is still " + s.path("state").asText() + " after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
