package dev.lanes.actors.session;

import dev.lanes.core.session.SessionView;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The node's read model of sessions and batches for GET and list calls: each session entity
 * writes its view after every persisted event; recovery fills it from the journal at start.
 */
public final class SessionIndex {
  private final ConcurrentHashMap<String, SessionView> sessions = new ConcurrentHashMap<>();
  /** Each session's version, its entity's sequence number: see {@code JobIndex} (issue 6). */
  private final ConcurrentHashMap<String, Long> versions = new ConcurrentHashMap<>();

  public void put(SessionView view) {
    sessions.put(view.id(), view);
  }

  /** The view after the entity's event {@code version}; an older one than known is ignored. */
  public void put(SessionView view, long version) {
    versions.compute(view.id(), (id, known) -> {
      if (known != null && known >= version) {
        return known;
      }
      sessions.put(id, view);
      return version;
    });
  }

  public Optional<SessionView> get(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  /** Matching sessions, newest first, with the total before paging. */
  public Page page(Predicate<SessionView> filter, int offset, int limit) {
    List<SessionView> all = sessions.values().stream().filter(filter)
        .sorted(Comparator.comparing(SessionView::createdAt).thenComparing(SessionView::id).reversed())
        .collect(Collectors.toList());
    int from = Math.min(offset, all.size());
    int to = Math.min(all.size(), from + limit);
    return new Page(List.copyOf(all.subList(from, to)), all.size());
  }

  public record Page(List<SessionView> sessions, int total) {}
}
