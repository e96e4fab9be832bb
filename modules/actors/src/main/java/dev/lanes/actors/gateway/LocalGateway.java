package dev.lanes.actors.gateway;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import dev.lanes.actors.LanesSettings;
import dev.lanes.actors.backend.MaintenanceLog;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.actors.job.JobIndex;
import dev.lanes.actors.job.JobIntake;
import dev.lanes.actors.job.JobSubmissions;
import dev.lanes.core.limits.Idempotency;
import dev.lanes.core.limits.RateLimit;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.job.JobEvent;
import dev.lanes.actors.job.InvalidJobException;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.session.SessionIndex;
import dev.lanes.core.job.JobState;
import dev.lanes.core.session.SessionEvent;
import dev.lanes.core.queue.InstancePlan;
import dev.lanes.core.session.SessionView;
import dev.lanes.core.usage.UsageBook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/** The gateway of one node: asks its arbiters and the sharded entities, reads the job index. */
public final class LocalGateway implements SchedulerGateway {
  private final ActorSystem<?> system;
  private final LanesSettings settings;
  private final JobIndex index;
  private final SessionIndex sessionIndex;
  private final UsageBook usage;
  private final Map<String, ActorRef<MaintenanceLog.Command>> maintenanceLogs;
  private final Function<String, RecipientRef<SessionEntity.Command>> sessions;
  private final Map<String, ActorRef<QueueArbiter.Command>> arbiters;
  private final Function<String, RecipientRef<JobEntity.Command>> jobs;
  private final ActorRef<JobIntake.Command> intake;
  private final Function<String, RecipientRef<UsageLedger.Command>> ledgers;
  private final Duration timeout;
  /**
   * One of many nodes (issue 6): a job's entity may live on another node, whose read model learns
   * of a new job only from the journal's stream, a little later. So every new job is written by
   * its own entity (its first event is in its own journal, wherever it starts), and a job or
   * session this node does not know yet is asked of its entity.
   */
  private final boolean clustered;
  private volatile boolean ready;
  private volatile java.util.function.Supplier<Optional<String>> storageCheck = Optional::empty;

  public LocalGateway(ActorSystem<?> system, LanesSettings settings, JobIndex index, SessionIndex sessionIndex,
      Map<String, ActorRef<QueueArbiter.Command>> arbiters,
      Function<String, RecipientRef<JobEntity.Command>> jobs, ActorRef<JobIntake.Command> intake,
      Function<String, RecipientRef<UsageLedger.Command>> ledgers,
      Function<String, RecipientRef<SessionEntity.Command>> sessions, UsageBook usage,
      Map<String, ActorRef<MaintenanceLog.Command>> maintenanceLogs, boolean clustered) {
    this.clustered = clustered;
    this.usage = usage;
    this.maintenanceLogs = Map.copyOf(maintenanceLogs);
    this.system = system;
    this.settings = settings;
    this.index = index;
    this.sessionIndex = sessionIndex;
    this.sessions = sessions;
    this.arbiters = Map.copyOf(arbiters);
    this.jobs = jobs;
    this.intake = intake;
    this.ledgers = ledgers;
    this.timeout = settings.askTimeout();
  }

  public void markReady() {
    ready = true;
  }

  /** What {@link #notReady} asks last: whether storage answers (empty) or why not. */
  public void checkStorageWith(java.util.function.Supplier<Optional<String>> check) {
    storageCheck = check;
  }

  @Override
  public Optional<String> storageProblem() {
    return storageCheck.get();
  }

  @Override
  public Optional<String> notReady() {
    if (!ready) {
      return Optional.of(RECOVERING);
    }
    akka.cluster.MemberStatus status = akka.cluster.typed.Cluster.get(system).selfMember().status();
    if (status != akka.cluster.MemberStatus.up()) {
      return Optional.of("not Up in the cluster (" + status + ")");
    }
    return storageCheck.get();
  }

  /**
   * Recovered, and Up in the cluster: a node still joining (or already leaving) cannot reach the
   * entities, so it answers 503 at once and the client goes to another node, instead of waiting
   * out the ask timeout (issue 6).
   */
  @Override
  public boolean ready() {
    return ready && akka.cluster.typed.Cluster.get(system).selfMember().status() == akka.cluster.MemberStatus.up();
  }

  @Override
  public LanesSettings settings() {
    return settings;
  }

  @Override
  public CompletionStage<JobEntity.Accepted> submit(JobEvent.Submitted submitted) {
    if (keyed(submitted)) {
      return submitKeyed(submitted, 0);
    }
    return submitNew(submitted);
  }

  private static boolean keyed(JobEvent.Submitted s) {
    return s.idempotencyKey() != null && !s.idempotencyKey().isEmpty();
  }

  /**
   * A job with an {@code Idempotency-Key} (issue 8 item 3): generation {@code generation} of its
   * key either answers it (the same request: the first answer, whatever has become of the job; a
   * different one: 422), or has expired (the next generation is asked), or is free (the job is
   * created under its id). The job's entity decides again when it is asked to create, so two
   * requests racing on one key create one job.
   */
  private CompletionStage<JobEntity.Accepted> submitKeyed(JobEvent.Submitted asked, int generation) {
    JobEvent.Submitted s = JobSubmissions.withJobId(asked,
        JobSubmissions.jobId(asked.instance(), asked.idempotencyKey(), generation));
    Duration ttl = settings.idempotencyKeyTtl();
    return lookup(s.jobId()).thenCompose(existing -> {
      JobState job = existing.orElse(null);
      switch (Idempotency.decide(job, s, ttl, JobSubmissions::sameParams)) {
        case EXPIRED:
          return submitKeyed(asked, generation + 1);
        case REPEAT:
          return CompletableFuture.completedFuture(
              new JobEntity.Accepted(job.jobId(), false, Idempotency.Verdict.REPEAT, job.created()));
        case CONFLICT:
          return CompletableFuture.<JobEntity.Accepted>failedFuture(new InvalidJobException(
              Idempotency.conflict(s.idempotencyKey(), "job", job.created(), ttl)));
        default:
          return submitNew(s).exceptionallyCompose(err -> err instanceof KeyExpired
                  || err.getCause() instanceof KeyExpired
              ? submitKeyed(asked, generation + 1) : CompletableFuture.failedFuture(err));
      }
    });
  }

  /** The entity of a keyed job found its key expired after all (it was created meanwhile). */
  private static final class KeyExpired extends RuntimeException {
    KeyExpired() {
      super("expired", null, false, false);
    }
  }

  /**
   * The job under {@code jobId}, deleted or not: this node's read model, else (in a cluster, where
   * another node may have created it a moment ago) its entity.
   */
  private CompletionStage<Optional<JobState>> lookup(String jobId) {
    Optional<JobState> known = index.get(jobId);
    if (known.isPresent() || !clustered) {
      return CompletableFuture.completedFuture(known);
    }
    return AskRetrying.ask(jobs.apply(jobId), JobEntity.Get::new, ATTEMPT, timeout, system.scheduler())
        .thenApply(st -> Optional.ofNullable(st).filter(JobState::exists));
  }

  /** A job to create under a fresh id: the usage cap and the rate limit first, then created. */
  private CompletionStage<JobEntity.Accepted> submitNew(JobEvent.Submitted submitted) {
    InstancePlan plan = settings.instancePlan(submitted.instance());
    if (plan != null) {
      var refused = plan.refuseNewJob(usage.windowSeconds(submitted.instance(), submitted.at()), usage.window());
      if (refused.isPresent()) {
        return CompletableFuture.failedFuture(new InvalidJobException(refused.get()));
      }
    }
    int perMinute = settings.jobsPerMinute();
    if (perMinute <= 0) {
      return create(submitted);
    }
    String user = submitted.userId() == null ? "" : submitted.userId();
    RateLimit.Decision[] decision = new RateLimit.Decision[1];
    rates.compute(user, (u, r) -> {
      decision[0] = (r == null ? RateLimit.FULL : r).decide(perMinute, submitted.at());
      return decision[0].next();
    });
    if (!decision[0].allowed()) {
      long after = decision[0].retryAfterSeconds();
      return CompletableFuture.failedFuture(new RateLimitedException("too many new jobs: user '" + user
          + "' may create " + perMinute + " jobs a minute (limits.jobs-per-minute); retry after " + after + " s",
          after));
    }
    return create(submitted).whenComplete((a, err) -> {
      if (err != null || !a.created()) { // nothing created: the token is given back
        rates.computeIfPresent(user, (u, r) -> r.refund(perMinute, submitted.at()));
      }
    });
  }

  /** Rate limits of this node, by user (issue 8 item 4): each node counts its own requests. */
  private final java.util.concurrent.ConcurrentHashMap<String, RateLimit> rates =
      new java.util.concurrent.ConcurrentHashMap<>();

  private CompletionStage<JobEntity.Accepted> create(JobEvent.Submitted submitted) {
    if (submitted.sessionId() == null) {
      return createJob(submitted);
    }
    RecipientRef<SessionEntity.Command> session = sessions.apply(submitted.sessionId());
    if (!clustered && !keyed(submitted)) {
      // A new job: the session's JobAdded carries it, so one write both adds and creates it, and
      // the session puts it in the queue once that write is durable (whether or not this ask has
      // timed out by then: the job exists, so it must not be forgotten).
      return AskPattern.<SessionEntity.Command, SessionEntity.AddJobReply>ask(session,
              r -> new SessionEntity.AddJob(submitted, r), timeout, system.scheduler())
          .thenApply(reply -> {
            if (reply.rejection() != null) {
              throw new InvalidJobException(reply.rejection());
            }
            return new JobEntity.Accepted(submitted.jobId(), true);
          });
    }
    return AskPattern.<SessionEntity.Command, SessionEntity.AddJobReply>ask(session,
            r -> new SessionEntity.AddJob(submitted.jobId(), r), timeout, system.scheduler())
        .whenComplete((reply, err) -> {
          if (err != null) {
            // The session may have accepted it after all; no job was created, so it must forget it
            // (or it would wait for a job that never comes, holding the backend).
            session.tell(new SessionEntity.ForgetJob(submitted.jobId()));
          }
        })
        .thenCompose(reply -> {
          if (reply.rejection() != null) {
            throw new InvalidJobException(reply.rejection());
          }
          return createJob(submitted).whenComplete((ok, err) -> {
            if (err != null) {
              // Not created (or not known to be): the session forgets it; should it exist after
              // all, its start tells the session again.
              session.tell(new SessionEntity.ForgetJob(submitted.jobId()));
            }
          });
        });
  }

  /**
   * A job with an {@code Idempotency-Key} may exist already: its entity answers a retry. One
   * without has a fresh random id: the intake writes it, batched with other new jobs.
   */
  private CompletionStage<JobEntity.Accepted> createJob(JobEvent.Submitted submitted) {
    if (!clustered && (submitted.idempotencyKey() == null || submitted.idempotencyKey().isEmpty())) {
      long giveUpAt = System.nanoTime() + timeout.toNanos();
      return AskPattern.askWithStatus(intake, r -> new JobIntake.Write(submitted, giveUpAt, r), timeout,
          system.scheduler());
    }
    Duration ttl = settings.idempotencyKeyTtl();
    CompletionStage<JobEntity.Accepted> answer = clustered
        // idempotent: a Submit that reaches the entity twice creates the job once
        ? AskRetrying.ask(jobs.apply(submitted.jobId()), r -> new JobEntity.Submit(submitted, ttl, r), ATTEMPT,
            timeout, system.scheduler())
        : AskPattern.ask(jobs.apply(submitted.jobId()), r -> new JobEntity.Submit(submitted, ttl, r), timeout,
            system.scheduler());
    return answer.thenApply(a -> switch (a.verdict() == null ? Idempotency.Verdict.REPEAT : a.verdict()) {
      case NEW, REPEAT -> a;
      // the job was created by a request racing this one (the look-up before found nothing)
      case CONFLICT -> throw new InvalidJobException(
          Idempotency.conflict(submitted.idempotencyKey(), "job", a.firstUse(), ttl));
      case EXPIRED -> throw new KeyExpired();
    });
  }

  /** One attempt of an ask that is retried in a cluster ({@link AskRetrying}). */
  private static final Duration ATTEMPT = Duration.ofSeconds(2);

  @Override
  public CompletionStage<SessionView> openSession(SessionEvent.Opened opened) {
    return AskPattern.ask(sessions.apply(opened.sessionId()), r -> new SessionEntity.Open(opened, r), timeout,
        system.scheduler());
  }

  /**
   * As for jobs (issue 8 item 3): generation after generation of the key, skipping those this node
   * knows to be expired, until its session answers (the same request, or 422) or it is created.
   */
  @Override
  public CompletionStage<SessionView> openSession(SessionEvent.Opened opened, String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isEmpty()) {
      return openSession(opened);
    }
    return openKeyed(opened, idempotencyKey, 0);
  }

  private CompletionStage<SessionView> openKeyed(SessionEvent.Opened asked, String key, int generation) {
    Duration ttl = settings.idempotencyKeyTtl();
    SessionEvent.Opened o = new SessionEvent.Opened(SessionEntity.keyedId(asked.instance(), key, generation),
        asked.mode(), asked.backend(), asked.instance(), asked.userId(), asked.interactiveTtl(), asked.maxTtl(),
        asked.unusedTimeout(), asked.at());
    Optional<SessionView> known = sessionIndex.get(o.sessionId());
    if (known.isPresent() && Idempotency.decide(known.get(), o, ttl) == Idempotency.Verdict.EXPIRED) {
      return openKeyed(asked, key, generation + 1);
    }
    return AskPattern.<SessionEntity.Command, SessionEntity.OpenReply>ask(sessions.apply(o.sessionId()),
            r -> new SessionEntity.OpenWithKey(o, ttl, r), timeout, system.scheduler())
        .thenCompose(reply -> switch (reply.verdict()) {
          case NEW, REPEAT -> CompletableFuture.completedFuture(reply.session());
          case CONFLICT -> CompletableFuture.<SessionView>failedFuture(new InvalidJobException(
              Idempotency.conflict(key, "session", reply.session().createdAt(), ttl)));
          case EXPIRED -> openKeyed(asked, key, generation + 1);
        });
  }

  @Override
  public Optional<SessionView> session(String sessionId) {
    Optional<SessionView> known = sessionIndex.get(sessionId);
    if (known.isPresent() || !clustered) {
      return known;
    }
    return askOnce(AskRetrying.ask(sessions.apply(sessionId), SessionEntity.Get::new, ATTEMPT, timeout,
            system.scheduler()))
        .filter(v -> v.id() != null);
  }

  /**
   * The entity's answer, waited for here: only in a cluster, only for an id this node has not
   * heard of yet (a job or session created on another node moments ago, or none at all). No
   * answer in time is not "not found": it fails (the API answers 503, and the client retries).
   */
  private <T> Optional<T> askOnce(CompletionStage<T> answer) {
    try {
      // a little longer than the ask itself, so that its own failure (not this wait) decides
      return Optional.ofNullable(answer.toCompletableFuture().get(timeout.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (java.util.concurrent.TimeoutException e) {
      // Unknown, not absent: its entity did not answer (its node may be leaving): a 503, retried.
      throw new java.util.concurrent.CompletionException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof akka.pattern.AskTimeoutException
          || e.getCause() instanceof java.util.concurrent.TimeoutException) {
        throw new java.util.concurrent.CompletionException(e.getCause());
      }
      return Optional.empty();
    }
  }

  @Override
  public SessionIndex.Page sessions(Predicate<SessionView> filter, int offset, int limit) {
    return sessionIndex.page(filter, offset, limit);
  }

  @Override
  public CompletionStage<SessionEntity.Reply> stopAccepting(String sessionId) {
    return AskPattern.ask(sessions.apply(sessionId), SessionEntity.StopAccepting::new, timeout, system.scheduler());
  }

  @Override
  public CompletionStage<SessionEntity.Reply> cancelSession(String sessionId) {
    return AskPattern.ask(sessions.apply(sessionId), SessionEntity.Cancel::new, timeout, system.scheduler());
  }

  @Override
  public void onJobChange(java.util.function.BiConsumer<JobState, JobState> listener) {
    index.onChange(listener);
  }

  @Override
  public Optional<JobState> job(String jobId) {
    Optional<JobState> known = index.get(jobId);
    if (known.isPresent() || !clustered) {
      return known;
    }
    return askOnce(AskRetrying.ask(jobs.apply(jobId), JobEntity.Get::new, ATTEMPT, timeout, system.scheduler()))
        .filter(s -> s.exists() && !s.deleted());
  }

  @Override
  public JobIndex.Page jobs(JobIndex.Query query) {
    return index.page(query);
  }

  @Override
  public CompletionStage<QueueArbiter.Positions> queuePositions(String backend, List<String> jobIds) {
    ActorRef<QueueArbiter.Command> arbiter = arbiters.get(backend);
    if (arbiter == null || jobIds.isEmpty()) {
      return CompletableFuture.completedFuture(new QueueArbiter.Positions(Map.of(), Map.of()));
    }
    return AskPattern.ask(arbiter, r -> new QueueArbiter.GetPositions(List.copyOf(jobIds), r), timeout,
        system.scheduler());
  }

  @Override
  public CompletionStage<QueueArbiter.Explanation> explainQueue(String backend) {
    return AskPattern.ask(arbiters.get(backend), QueueArbiter.Explain::new, timeout, system.scheduler());
  }

  @Override
  public CompletionStage<String> scheduleMaintenance(String backend, String kind, java.time.Duration duration) {
    return AskPattern.ask(maintenanceLogs.get(backend), r -> new MaintenanceLog.Schedule(kind, duration, r), timeout,
        system.scheduler());
  }

  @Override
  public CompletionStage<JobEntity.CancelReply> cancel(JobState job) {
    ActorRef<QueueArbiter.Command> arbiter = arbiters.get(job.backend());
    if (arbiter == null) { // its backend is no longer configured: the job is in no queue
      return AskPattern.ask(jobs.apply(job.jobId()), JobEntity.Cancel::new, timeout, system.scheduler());
    }
    return AskPattern.ask(arbiter, r -> new QueueArbiter.Cancel(job.jobId(), r), timeout, system.scheduler());
  }

  @Override
  public CompletionStage<JobEntity.DeleteReply> delete(JobState job) {
    return AskPattern.ask(jobs.apply(job.jobId()), JobEntity.Delete::new, timeout, system.scheduler());
  }

  @Override
  public CompletionStage<QueueArbiter.Status> backendStatus(String backend) {
    return AskPattern.ask(arbiters.get(backend), QueueArbiter.GetStatus::new, timeout, system.scheduler());
  }

  @Override
  public CompletionStage<QueueArbiter.Overview> backendOverview(String backend, int queueLimit) {
    return AskPattern.ask(arbiters.get(backend), r -> new QueueArbiter.GetOverview(queueLimit, r), timeout,
        system.scheduler());
  }

  @Override
  public CompletionStage<Done> setPaused(String backend, boolean paused) {
    return AskPattern.ask(arbiters.get(backend), r -> new QueueArbiter.SetPaused(paused, r), timeout,
        system.scheduler());
  }

  @Override
  public CompletionStage<UsageLedger.Usage> usage(String instance) {
    return AskPattern.ask(ledgers.apply(instance),
        r -> new UsageLedger.GetUsage(settings.fairShareWindow(), r), timeout, system.scheduler());
  }
}
