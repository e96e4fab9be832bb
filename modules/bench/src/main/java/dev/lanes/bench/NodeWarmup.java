package dev.lanes.bench;

import dev.lanes.client.LanesApi;
import java.time.Duration;
import java.util.List;

/**
 * Runs unmeasured jobs through the node's whole job path (submit, queue, dispatch, the entity's
 * start, the lane's timed phases, completion, charge) before the dispatch workloads, so that what
 * they measure is compiled code, not the JIT at work. The jobs are the lanes workload's (50 ms of
 * pre-processing) on a backend of 50 lanes: the same path, ten times as often per second.
 */
final class NodeWarmup {
  private NodeWarmup() {}

  /**
   * Submits {@code jobs} jobs to {@code backend} (pipelined, as W1 does), waits until it is idle;
   * returns the seconds it took.
   */
  static double run(List<LanesApi> clients, SubmitWorkload.Target target, int window, String backend, int jobs,
      Duration timeout) throws InterruptedException {
    long t0 = System.nanoTime();
    Submitter.submitPipelined(target.base(), target.token(), target.instance(), clients.size(), window, jobs,
        SubmitWorkload.body(backend), timeout);
    if (ServerView.awaitIdle(clients.get(0), backend, timeout, Duration.ofMillis(100)) < 0) {
      throw new IllegalStateException("node warm-up: backend " + backend + " still had jobs after " + timeout.toSeconds() + " s");
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
