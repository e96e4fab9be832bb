package dev.lanes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.bench.LanesWorkload.Run;
import dev.lanes.client.LanesApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs' runs as their metrics tell them, and when a lane was free: the session and batch figures
 * are differences of the server's own timestamps (millisecond precision), never of the driver's
 * clock, so HTTP and polling delays of the driver do not enter them.
 */
final class Runs {
  private Runs() {}

  /** The runs of {@code ids} that have created, running, finished and lane; the others are left out. */
  static Map<String, Run> read(List<LanesApi> clients, List<String> ids, Duration limit) throws InterruptedException {
    List<JsonNode> metrics = Submitter.forEach(clients, ids, LanesApi::metrics, limit);
    Map<String, Run> out = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      JsonNode m = metrics.get(i);
      if (m == null) {
        continue;
      }
      JsonNode t = m.path("timestamps");
      Instant created = time(t.path("created"));
      Instant running = time(t.path("running"));
      Instant finished = time(t.path("finished"));
      if (created == null || running == null || finished == null || !m.path("lane").canConvertToInt()) {
        continue;
      }
      out.put(ids.get(i), new Run(ids.get(i), m.path("lane").asInt(), created, running, finished,
          time(m.path("qpu").path("started")), time(m.path("qpu").path("finished"))));
    }
    return out;
  }

  /**
   * The first moment at or after {@code from} when fewer than {@code lanes} of {@code runs} (other
   * than {@code self}) held a lane: {@code from} itself, or the {@code finished} of the run whose
   * end freed a lane. A lane handed straight on counts as busy: the arbiter starts the next job
   * and tells the previous one to finish at once, so the next {@code running} may be stamped a
   * millisecond before the previous {@code finished} (see the lanes workload's negative gaps).
   * Null when no lane was free up to {@code until}.
   */
  static Instant firstFree(Collection<Run> runs, int lanes, Instant from, Instant until, String self) {
    List<Instant> candidates = new ArrayList<>();
    candidates.add(from);
    for (Run r : runs) {
      if (r.finished().isAfter(from) && !r.finished().isAfter(until) && !r.id().equals(self)) {
        candidates.add(r.finished());
      }
    }
    candidates.sort(Instant::compareTo);
    for (Instant t : candidates) {
      if (busy(runs, t, self) < lanes) {
        return t;
      }
    }
    return null;
  }

  /** Runs holding a lane at {@code t}: started at or before it, not finished by it. */
  static int busy(Collection<Run> runs, Instant t, String self) {
    int n = 0;
    for (Run r : runs) {
      if (!r.running().isAfter(t) && r.finished().isAfter(t) && !r.id().equals(self)) {
        n++;
      }
    }
    return n;
  }

  static long micros(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1000;
  }

  static Instant time(JsonNode n) {
    return n == null || !n.isTextual() ? null : Instant.parse(n.textValue());
  }
}
