package dev.lanes.bench;

import dev.lanes.client.LanesApi;
import dev.lanes.client.LanesApiException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jobs submitted one at a time from one client, in an order the workload depends on (fillers
 * before a session's job, a batch's first job before the rest). A refused submit is counted, not
 * thrown: a 409 from a session that should accept jobs is a finding to report, not a crash.
 */
final class Submits {
  final List<String> ids = new ArrayList<>();
  final Map<String, Integer> errors = new TreeMap<>();
  String firstError;

  /** Submits {@code body}, into {@code sessionId} when not null; the job's id, or null if refused. */
  String submit(LanesApi api, String sessionId, String body) {
    try {
      String id = sessionId == null ? api.submit(body) : api.submitToSession(sessionId, body);
      ids.add(id);
      return id;
    } catch (LanesApiException e) {
      fail("HTTP " + e.status(), "HTTP " + e.status() + ": " + e.getMessage()
          + (sessionId == null ? "" : " (session " + sessionId + ")"));
    } catch (UncheckedIOException e) {
      fail("transport", "transport: " + e.getMessage());
    }
    return null;
  }

  int accepted() {
    return ids.size();
  }

  private void fail(String kind, String message) {
    errors.merge(kind, 1, Integer::sum);
    if (firstError == null) {
      firstError = message;
    }
  }
}
