package dev.lanes.actors.gateway;

import akka.Done;
import dev.lanes.actors.LanesSettings;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.actors.job.JobIndex;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.job.JobEvent;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.session.SessionIndex;
import dev.lanes.core.job.JobState;
import dev.lanes.core.session.SessionEvent;
import dev.lanes.core.session.SessionView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * What the HTTP layer (and an embedding JVM service) may ask of the scheduler. It hides actors,
 * sharding and asks; answers are values or completion stages.
 */
public interface SchedulerGateway {
  LanesSettings settings();

  /**
   * Creates the job (durably) and queues it; idempotent by job id. A job of a session is first
   * accepted by the session, which may refuse it (R18): the stage then fails with an
   * {@link dev.lanes.actors.job.InvalidJobException} carrying the 409, and no job is created.
   * With an {@code Idempotency-Key}: the same request within {@code idempotency.key-ttl} answers
   * the first job (created false), a different one fails with the 422. Past
   * {@code limits.jobs-per-minute} a new job fails with a {@link RateLimitedException}.
   */
  CompletionStage<JobEntity.Accepted> submit(JobEvent.Submitted submitted);

  Optional<JobState> job(String jobId);

  JobIndex.Page jobs(JobIndex.Query query);

  /** Queue positions (1 = next) and expected starts of the given queued jobs of one backend. */
  CompletionStage<QueueArbiter.Positions> queuePositions(String backend, List<String> jobIds);

  /** The backend's queue in start order, with why and when (admin). */
  CompletionStage<QueueArbiter.Explanation> explainQueue(String backend);

  /** R24: schedules a calibration or upgrade; answers its id once it is durable. */
  CompletionStage<String> scheduleMaintenance(String backend, String kind, java.time.Duration duration);

  CompletionStage<JobEntity.CancelReply> cancel(JobState job);

  CompletionStage<JobEntity.DeleteReply> delete(JobState job);

  CompletionStage<QueueArbiter.Status> backendStatus(String backend);

  /**
   * The backend at one instant for the dashboard (issue 7): status, who holds each lane, and the
   * first {@code queueLimit} queued jobs in start order with why.
   */
  CompletionStage<QueueArbiter.Overview> backendOverview(String backend, int queueLimit);

  CompletionStage<Done> setPaused(String backend, boolean paused);

  CompletionStage<UsageLedger.Usage> usage(String instance);

  /** Creates a session or batch; a retried create with the same id answers the existing one. */
  CompletionStage<SessionView> openSession(SessionEvent.Opened opened);

  /**
   * Creates a session or batch under an {@code Idempotency-Key} (api.md, issue 8): the same
   * request within {@code idempotency.key-ttl} answers the existing session; a different one fails
   * with an {@link dev.lanes.actors.job.InvalidJobException} carrying the 422.
   */
  default CompletionStage<SessionView> openSession(SessionEvent.Opened opened, String idempotencyKey) {
    return openSession(opened);
  }

  Optional<SessionView> session(String sessionId);

  SessionIndex.Page sessions(Predicate<SessionView> filter, int offset, int limit);

  /** R14: accepting_jobs=false. */
  CompletionStage<SessionEntity.Reply> stopAccepting(String sessionId);

  /** R15: cancel (DELETE /close). */
  CompletionStage<SessionEntity.Reply> cancelSession(String sessionId);

  /** True once recovery has rebuilt the queues and the node can take requests (and is Up in its cluster). */
  boolean ready();

  /** {@code listener} hears every change of a job this node's read model sees (before, after). */
  default void onJobChange(java.util.function.BiConsumer<dev.lanes.core.job.JobState, dev.lanes.core.job.JobState> listener) {}

  /**
   * {@code GET /health/ready} (api.md): why the node is not ready, or empty once it has
   * recovered, is Up in its cluster and its storage answers.
   */
  default Optional<String> notReady() {
    return ready() ? Optional.empty() : Optional.of(RECOVERING);
  }

  /**
   * Why storage does not answer, as its last probe found (issue 8), or empty: a write would fail
   * (after the ask timeout), so writes are refused with a 503 at once, while reads still answer.
   */
  default Optional<String> storageProblem() {
    return Optional.empty();
  }

  String RECOVERING = "recovering the queues from storage";
}
