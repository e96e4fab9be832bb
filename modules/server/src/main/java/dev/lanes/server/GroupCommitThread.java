package dev.lanes.server;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One thread that takes every item waiting and stores them in one transaction (group commit),
 * then completes them all. A group that fails is tried again item by item, so one bad item fails
 * only itself. The journal's writer ({@link GroupCommitWriter}) and the audit log
 * ({@link JdbcAuditLog}) are its two kinds: each says how to store a group and owns its connection.
 *
 * @param <T> what one caller asks to store
 */
abstract class GroupCommitThread<T> implements AutoCloseable {
  private record Pending<T>(T item, CompletableFuture<Void> done) {}

  private final Pending<T> stop = new Pending<>(null, null);
  private final LinkedBlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
  private final int maxGroup;
  private final Duration tick;
  private final String what;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param maxGroup items per transaction at most: a long backlog goes in several
   * @param tick how often {@link #tick()} runs on the thread (first at start); null: never
   * @param what what it is, for failures ("the journal")
   */
  GroupCommitThread(String threadName, int maxGroup, Duration tick, String what) {
    this.maxGroup = maxGroup;
    this.tick = tick;
    this.what = what;
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  /** Starts the thread: a subclass calls this last in its constructor, once its own fields are set. */
  protected final void start() {
    thread.start();
  }

  /** Completes once {@code item} is committed, or exceptionally if it was not (then none of it is). */
  protected final CompletableFuture<Void> enqueue(T item) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IllegalStateException(what + " is stopping"));
    } else {
      queue.add(new Pending<>(item, done));
    }
    return done;
  }

  /** Stores every item in one transaction: commits it, or rolls it back and throws. */
  protected abstract void store(List<T> items) throws SQLException;

  /** Periodic work on the thread, between groups (see the constructor's {@code tick}). */
  protected void tick() {}

  protected abstract void closeConnection();

  /** Stores what is queued, then stops and closes the connection. */
  @Override
  public void close() {
    closed = true;
    queue.add(stop);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Pending<T>> group = new ArrayList<>();
    long nextTick = System.nanoTime();
    try {
      while (true) {
        if (tick != null && System.nanoTime() - nextTick >= 0) {
          tick();
          nextTick = System.nanoTime() + tick.toNanos();
        }
        group.clear();
        Pending<T> first = tick == null ? queue.take() : queue.poll(tick.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, maxGroup - 1);
        boolean stopping = group.remove(stop);
        if (!group.isEmpty()) {
          commit(group);
        }
        if (stopping) {
          List<Pending<T>> left = new ArrayList<>();
          queue.drainTo(left);
          left.remove(stop);
          if (!left.isEmpty()) {
            commit(left);
          }
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Pending<T> p : queue) {
        if (p.done() != null) {
          p.done().completeExceptionally(new IllegalStateException(what + " stopped"));
        }
      }
      closeConnection();
    }
  }

  private void commit(List<Pending<T>> group) {
    try {
      store(group.stream().map(Pending::item).toList());
      group.forEach(p -> p.done().complete(null));
    } catch (SQLException e) {
      if (group.size() == 1) {
        group.get(0).done().completeExceptionally(e);
        return;
      }
      for (Pending<T> p : group) {
        try {
          store(List.of(p.item()));
          p.done().complete(null);
        } catch (SQLException one) {
          p.done().completeExceptionally(one);
        }
      }
    }
  }
}
