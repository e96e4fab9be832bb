package dev.lanes.actors.backend;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.lanes.actors.CborSerializable;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.core.job.RunOutcome;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.queue.BackendQueues;
import dev.lanes.core.queue.Dispatcher;
import dev.lanes.core.queue.LaneOccupancy;
import dev.lanes.core.queue.LaneTable;
import dev.lanes.core.queue.QueuedJob;
import dev.lanes.core.queue.StartPolicy;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.lanes.core.model.TimingModel;
import dev.lanes.core.queue.MaintenanceQueue;
import dev.lanes.core.queue.QueueForecast;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The one queue of a backend (R5): it holds the queued jobs and which job holds which lane, and
 * asks the core {@link Dispatcher} which job starts next whenever a job arrives or a lane frees.
 * It is the only place a queued job leaves the queue, so a job can never start twice (R1).
 *
 * <p>It also decides, at the moment of the start, that a dedicated session now holds the backend
 * (R10, R17) or that a batch is active (R19): nothing else may start in between. The session's
 * entity owns the timers and tells it when the hold ends or the batch is over.
 */
public final class QueueArbiter extends AbstractBehavior<QueueArbiter.Command> {

  public sealed interface Command extends BackendHost.Message {}

  /** A job to queue; {@code atHead} for a run interrupted by a node stop (R29). */
  public record Enqueue(QueuedJob job, boolean atHead) implements Command {}

  /** A user's cancel: out of the queue, or stopped on its lane (R28). */
  public record Cancel(String jobId, ActorRef<JobEntity.CancelReply> replyTo) implements Command {}

  /** A lane is free again; {@code outcome} is null when the job was not started (entity said no). */
  public record LaneFinished(int lane, String jobId, RunOutcome outcome) implements Command {}

  public record SetPaused(boolean paused, ActorRef<Done> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * {@code holderKind} is "session", "batch", "maintenance" or null (api.md backend status
   * {@code holder}); {@code maintenance} is the running one, if any.
   */
  public record Status(String backend, boolean paused, int lanes, int lanesBusy, int queueLength,
      String holderKind, String holderId, MaintenanceQueue.Window maintenance, Instant maintenanceUntil,
      int maintenancePending) implements CborSerializable {}

  /** R24: a maintenance job to run when the backend can be had whole (from the durable log). */
  public record ScheduleMaintenance(MaintenanceQueue.Window window) implements Command {}

  /** Recovery: this maintenance was running when the node stopped. */
  public record ResumeMaintenance(MaintenanceQueue.Window window, Instant startedAt) implements Command {}

  /** The durable log of this backend's maintenance; the arbiter reports starts and ends to it. */
  public record AttachLog(ActorRef<MaintenanceLog.Command> log) implements Command {}

  /** The queue in start order, with why and when each job is expected to start (admin, api.md). */
  public record Explain(ActorRef<Explanation> replyTo) implements Command {}

  public record Explanation(String holderKind, String holderId, List<Line> queue,
      List<MaintenanceQueue.Window> maintenancePending) implements CborSerializable {}

  public record Line(QueuedJob job, String priorityClass, Double fairShareRatio, String why,
      Instant estimatedStart) implements CborSerializable {}

  /**
   * Everything the dashboard shows of this backend at one instant (issue 7, item 3): its status,
   * who holds each lane, and the first {@code queueLimit} jobs of the queue in start order with
   * why (the whole length is in the status).
   */
  public record GetOverview(int queueLimit, ActorRef<Overview> replyTo) implements Command {}

  public record Overview(Status status, List<LaneOccupancy.Lane> lanes, Explanation queue)
      implements CborSerializable {}

  private record MaintenanceOver(String id) implements Command {}

  /**
   * Recovery has restored holds, active batches, maintenance and the queue: start dispatching.
   * Until then nothing starts, so that e.g. a pending maintenance cannot take a backend a
   * session held when the node stopped (R17, R29).
   */
  public record RecoveryDone(long epoch) implements Command {
    /** For a backend with no epochs (tests, and any use outside a cluster-aware host). */
    public static final RecoveryDone INSTANCE = new RecoveryDone(0);
  }

  /** Usage leaves the window as time passes (R8): look again even when nothing else happens. */
  private enum Redispatch implements Command { INSTANCE }

  private enum CalibrationDue implements Command { INSTANCE }

  /**
   * The session went inactive or closed (R10, R12, R14, R15): its hold ends, unless one of its
   * jobs is on a lane by now (it started again before this arrived; the session hears of that
   * start and is active again).
   */
  public record ReleaseHold(String sessionId) implements Command {}

  /** Recovery: the session held the backend when the node stopped (R29). */
  public record RestoreHold(String sessionId) implements Command {}

  /** Recovery: the batch was active when the node stopped, in activation order (R29). */
  public record RestoreBatch(String sessionId) implements Command {}

  /** The batch closed: it no longer goes ahead of anyone (R22). */
  public record EndBatch(String sessionId) implements Command {}

  /**
   * The session ended its queued jobs (R12, R15, R20): those queued end {@code status} with
   * {@code reason}; those not queued yet (a submit in flight) will when they arrive; running ones
   * finish.
   */
  public record DropJobs(String sessionId, List<String> jobIds, JobStatus status, String reason)
      implements Command {}

  /** Queue positions (1 = next to start) of those of {@code jobIds} that are queued. */
  public record GetPositions(List<String> jobIds, ActorRef<Positions> replyTo) implements Command {}

  /** Positions (1 = next) and expected start times of queued jobs. */
  public record Positions(Map<String, Integer> positions, Map<String, Instant> estimatedStarts)
      implements CborSerializable {}

  private final String backend;
  private final ActorRef<Backend.Command> lanesOwner;
  private final Function<String, RecipientRef<JobEntity.Command>> jobs;
  private final BackendQueues queue;
  private final Clock clock;
  private final TimingModel timing;
  private final TimerScheduler<Command> timers;
  private final MaintenanceQueue maintenance = new MaintenanceQueue();
  private final Calibration calibration;
  private ActorRef<MaintenanceLog.Command> log;
  /** Changes with every queue or lane change: a cached forecast is good while it is unchanged. */
  private long changes;
  private long forecastChanges = -1;
  private Instant forecastAt = Instant.EPOCH;
  private List<StartPolicy.Ranked> forecastOrder = List.of();
  private List<QueuedJob> forecastJobs = List.of();
  private Map<String, Instant> forecast = Map.of();
  private final LaneTable lanes;
  /** Jobs on lanes and when each was sent there: whose they are, and when they should end. */
  private final Map<String, QueueForecast.OnLane> running = new HashMap<>();
  /** Jobs a session ended before they reached this queue: they end on arrival. Bounded. */
  private final Map<String, DropJobs> doomed = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, DropJobs> eldest) {
      return size() > 100_000;
    }
  };
  /** Cancels waiting for a running job's lane to stop. */
  private final Map<String, ActorRef<JobEntity.CancelReply>> cancelling = new HashMap<>();
  private boolean paused;
  private boolean recovering;
  /**
   * This backend's epoch (issue 6): every start and end it sends carries it, so that once the
   * backend lives on another node with a higher one, nothing from here can start or end a job.
   */
  private long epoch;
  /**
   * Whether any job of the holding session has really started since the hold was made: if none
   * has and the last one on a lane turns out never to have started, the session never heard of a
   * start and would never release the backend, so the hold is undone here.
   */
  private boolean holdConfirmed;

  /** Periodic calibrations from config (R24); {@code every} zero means none. */
  public record Calibration(Duration every, Duration duration) {
    public static final Calibration NONE = new Calibration(Duration.ZERO, Duration.ZERO);

    boolean on() {
      return every.compareTo(Duration.ZERO) > 0 && duration.compareTo(Duration.ZERO) > 0;
    }
  }

  public static Behavior<Command> create(String backend, int lanes, boolean paused,
      ActorRef<Backend.Command> lanesOwner, Function<String, RecipientRef<JobEntity.Command>> jobs,
      StartPolicy policy, Clock clock) {
    return create(backend, lanes, paused, lanesOwner, jobs, policy, clock, null, Calibration.NONE, false, false);
  }

  /**
   * {@code recovering}: start nothing until {@link RecoveryDone}. {@code warmEntities}: wake the
   * entities of the next jobs ahead of their start (see {@link #warmNext}).
   */
  public static Behavior<Command> create(String backend, int lanes, boolean paused,
      ActorRef<Backend.Command> lanesOwner, Function<String, RecipientRef<JobEntity.Command>> jobs,
      StartPolicy policy, Clock clock, TimingModel timing, Calibration calibration, boolean recovering,
      boolean warmEntities) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new QueueArbiter(ctx, timers, backend, lanes,
        paused, lanesOwner, jobs, policy, clock, timing, calibration, recovering, warmEntities)));
  }

  private QueueArbiter(ActorContext<Command> ctx, TimerScheduler<Command> timers, String backend, int lanes,
      boolean paused, ActorRef<Backend.Command> lanesOwner, Function<String, RecipientRef<JobEntity.Command>> jobs,
      StartPolicy policy, Clock clock, TimingModel timing, Calibration calibration, boolean recovering,
      boolean warmEntities) {
    super(ctx);
    this.recovering = recovering;
    this.warmEntities = warmEntities;
    timers.startTimerWithFixedDelay("redispatch", Redispatch.INSTANCE, Duration.ofMinutes(1));
    this.clock = clock;
    this.timers = timers;
    this.timing = timing;
    this.calibration = calibration;
    if (calibration.on()) {
      timers.startTimerWithFixedDelay("calibration", CalibrationDue.INSTANCE, calibration.every());
    }
    this.backend = backend;
    this.lanes = new LaneTable(lanes);
    this.paused = paused;
    this.lanesOwner = lanesOwner;
    this.jobs = jobs;
    this.queue = new BackendQueues(policy);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Enqueue.class, this::onEnqueue)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(LaneFinished.class, this::onLaneFinished)
        .onMessage(SetPaused.class, this::onSetPaused)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(GetPositions.class, this::onGetPositions)
        .onMessage(ReleaseHold.class, this::onReleaseHold)
        .onMessage(RestoreHold.class, m -> {
          queue.release(queue.holder().orElse(m.sessionId()));
          queue.hold(m.sessionId());
          holdConfirmed = true; // the session is active: it knows it holds the backend
          return dispatch();
        })
        .onMessage(RestoreBatch.class, m -> {
          queue.activateBatch(m.sessionId());
          return dispatch();
        })
        .onMessage(EndBatch.class, m -> {
          queue.endBatch(m.sessionId());
          return dispatch();
        })
        .onMessage(DropJobs.class, this::onDropJobs)
        .onMessage(AttachLog.class, m -> {
          log = m.log();
          return this;
        })
        .onMessage(ScheduleMaintenance.class, m -> {
          maintenance.schedule(m.window());
          return dispatch();
        })
        .onMessage(ResumeMaintenance.class, this::onResumeMaintenance)
        .onMessage(MaintenanceOver.class, this::onMaintenanceOver)
        .onMessageEquals(CalibrationDue.INSTANCE, this::onCalibrationDue)
        .onMessage(RecoveryDone.class, m -> {
          recovering = false;
          epoch = m.epoch();
          return dispatch();
        })
        .onMessageEquals(Redispatch.INSTANCE, this::dispatch)
        .onMessage(Explain.class, this::onExplain)
        .onMessage(GetOverview.class, this::onGetOverview)
        .build();
  }

  private Behavior<Command> onEnqueue(Enqueue m) {
    String id = m.job().jobId();
    DropJobs drop = doomed.remove(id);
    if (drop != null) {
      jobs.apply(id).tell(new JobEntity.EndQueued(drop.status(), drop.reason()));
      return this;
    }
    if (!running.containsKey(id)) {
      queue.enqueue(m.job(), m.atHead());
    }
    return dispatch();
  }

  private Behavior<Command> onReleaseHold(ReleaseHold m) {
    boolean onLane = running.values().stream().anyMatch(r -> r.job().inSession(m.sessionId()));
    if (!onLane) {
      queue.release(m.sessionId());
    }
    return dispatch();
  }

  private Behavior<Command> onDropJobs(DropJobs m) {
    for (String id : m.jobIds()) {
      if (queue.remove(id).isPresent()) {
        jobs.apply(id).tell(new JobEntity.EndQueued(m.status(), m.reason()));
      } else if (!running.containsKey(id)) {
        doomed.put(id, m);
      }
    }
    return dispatch();
  }

  private Behavior<Command> onCancel(Cancel m) {
    if (queue.remove(m.jobId()).isPresent()) {
      changes++;
      jobs.apply(m.jobId()).tell(new JobEntity.CancelQueued(m.replyTo()));
      return this;
    }
    OptionalInt lane = lanes.laneOf(m.jobId());
    if (lane.isPresent()) {
      cancelling.put(m.jobId(), m.replyTo());
      lanesOwner.tell(new Backend.StopLane(lane.getAsInt(), m.jobId()));
      return this;
    }
    jobs.apply(m.jobId()).tell(new JobEntity.Cancel(m.replyTo()));
    return this;
  }

  private Behavior<Command> onLaneFinished(LaneFinished m) {
    if (!lanes.release(m.lane(), m.jobId())) {
      return this; // a stale report: the lane was already given back
    }
    QueueForecast.OnLane onLane = running.remove(m.jobId());
    QueuedJob job = onLane == null ? null : onLane.job();
    if (job != null) {
      queue.ended(job, m.outcome() == null ? 0 : m.outcome().quantumSeconds(), clock.instant());
    }
    if (m.outcome() != null && job != null && job.sessionId() != null
        && queue.holder().filter(job.sessionId()::equals).isPresent()) {
      holdConfirmed = true; // it ran: the session heard of its start
    }
    if (m.outcome() == null && job != null && job.sessionId() != null) {
      // The job never started (its entity said no), so its session never heard of a start: a
      // hold or batch activation this job alone made must not outlive it.
      undoActivationIfUnused(job);
    }
    ActorRef<JobEntity.CancelReply> canceller = cancelling.remove(m.jobId());
    if (m.outcome() != null) {
      jobs.apply(m.jobId()).tell(new JobEntity.Finish(m.outcome(), epoch, canceller));
    } else if (canceller != null) {
      jobs.apply(m.jobId()).tell(new JobEntity.Cancel(canceller));
    }
    return dispatch();
  }

  private Behavior<Command> onSetPaused(SetPaused m) {
    paused = m.paused();
    m.replyTo().tell(Done.getInstance());
    return dispatch();
  }

  private Behavior<Command> onGetStatus(GetStatus m) {
    m.replyTo().tell(status());
    return this;
  }

  private Status status() {
    String holder = queue.holder().orElse(null);
    List<String> batches = queue.activeBatches();
    MaintenanceQueue.Window running = maintenance.current().orElse(null);
    String kind = running != null ? "maintenance" : holder != null ? "session" : batches.isEmpty() ? null : "batch";
    String id = running != null ? running.id() : holder != null ? holder : batches.isEmpty() ? null : batches.get(0);
    return new Status(backend, paused, lanes.lanes(), lanes.busy(), queue.size(), kind, id, running,
        maintenance.currentEndsAt(), maintenance.pending().size());
  }

  private Behavior<Command> onGetPositions(GetPositions m) {
    refreshForecast();
    List<String> queued = m.jobIds().stream().filter(queue::contains).toList();
    Map<String, Integer> positions = new HashMap<>(BackendQueues.positionsIn(forecastJobs, queued));
    Map<String, Instant> starts = new HashMap<>();
    for (String id : queued) {
      // one queued since the last forecast is at the back for now, without an estimate
      positions.putIfAbsent(id, queue.size());
      if (forecast.containsKey(id)) {
        starts.put(id, forecast.get(id));
      }
    }
    m.replyTo().tell(new Positions(positions, starts));
    return this;
  }

  private Behavior<Command> onExplain(Explain m) {
    m.replyTo().tell(explanation(status(), Integer.MAX_VALUE));
    return this;
  }

  private Behavior<Command> onGetOverview(GetOverview m) {
    Status s = status();
    List<LaneOccupancy.Lane> occupancy = LaneOccupancy.of(lanes, running, maintenance, queue.holder().isPresent());
    m.replyTo().tell(new Overview(s, occupancy, explanation(s, Math.max(0, m.queueLimit()))));
    return this;
  }

  /** The first {@code limit} jobs of the queue in start order, with why and when. */
  private Explanation explanation(Status s, int limit) {
    refreshForecast();
    int n = Math.min(limit, forecastOrder.size());
    List<Line> lines = new java.util.ArrayList<>(n);
    for (StartPolicy.Ranked r : forecastOrder.subList(0, n)) {
      lines.add(new Line(r.job(), r.priorityClass(), r.fairShareRatio(), r.why(), forecast.get(r.job().jobId())));
    }
    return new Explanation(s.holderKind(), s.holderId(), lines, maintenance.pending());
  }

  /**
   * The start order and estimates are an O(n log I) pass over the queue, so they are worked out
   * again only when something changed — at once for a short queue, at most every 250 ms for a
   * long one (a busy backend changes all the time) — and each second, since estimates age.
   */
  private void refreshForecast() {
    Instant now = clock.instant();
    Duration age = Duration.between(forecastAt, now);
    boolean changed = changes != forecastChanges;
    boolean due = changed && (queue.size() <= 1_000 || age.compareTo(Duration.ofMillis(250)) >= 0);
    if (!due && age.compareTo(Duration.ofSeconds(1)) < 0) {
      return;
    }
    forecastChanges = changes;
    forecastAt = now;
    forecastOrder = queue.explain(now);
    forecastJobs = forecastOrder.stream().map(StartPolicy.Ranked::job).toList();
    if (timing == null) {
      forecast = Map.of();
      return;
    }
    List<QueueForecast.OnLane> onLanes = List.copyOf(running.values());
    List<Duration> pending = maintenance.pending().stream().map(MaintenanceQueue.Window::duration).toList();
    forecast = QueueForecast.estimate(forecastJobs, onLanes,
        lanes.lanes(), timing, pending, maintenance.currentEndsAt(), paused, now);
  }

  private Behavior<Command> onResumeMaintenance(ResumeMaintenance m) {
    maintenance.resume(m.window(), m.startedAt());
    Duration left = Duration.between(clock.instant(), maintenance.currentEndsAt());
    timers.startSingleTimer("maintenance", new MaintenanceOver(m.window().id()), left.isNegative() ? Duration.ZERO : left);
    return this;
  }

  private Behavior<Command> onMaintenanceOver(MaintenanceOver m) {
    if (maintenance.finish(m.id()) && log != null) {
      log.tell(new MaintenanceLog.Ended(m.id(), clock.instant()));
    }
    return dispatch();
  }

  /** R24: periodic calibration from config, durable like an administrator's. */
  private Behavior<Command> onCalibrationDue() {
    if (!maintenance.wantsPeriodicCalibration()) {
      return this;
    }
    if (log != null) {
      log.tell(new MaintenanceLog.Schedule("calibration", calibration.duration(), null));
      return this;
    }
    maintenance.schedule(new MaintenanceQueue.Window(java.util.UUID.randomUUID().toString(), "calibration",
        calibration.duration(), clock.instant()));
    return dispatch();
  }

  private final boolean warmEntities;
  /** Jobs whose entities {@link #warmNext} woke lately, oldest first. */
  private final java.util.LinkedHashSet<String> warmed = new java.util.LinkedHashSet<>();

  private Behavior<Command> dispatch() {
    changes++;
    if (recovering) {
      return this;
    }
    Instant now = clock.instant();
    boolean wasHeld = queue.holder().isPresent();
    maintenance.startIfReady(wasHeld, lanes.busy(), now).ifPresent(w -> {
      timers.startSingleTimer("maintenance", new MaintenanceOver(w.id()), w.duration());
      if (log != null) {
        log.tell(new MaintenanceLog.Started(w.id(), now));
      }
    });
    boolean blocked = paused || maintenance.blocksStarts(wasHeld);
    for (Dispatcher.Assignment a : Dispatcher.fill(queue, lanes, blocked, now)) {
      running.put(a.job().jobId(), new QueueForecast.OnLane(a.job(), now));
      if (!wasHeld && queue.holder().filter(a.job()::inSession).isPresent()) {
        holdConfirmed = false;
        wasHeld = true;
      }
      lanesOwner.tell(new Backend.RunOnLane(a.lane(), a.job().jobId(), a.job().shape(), epoch, getContext().getSelf()));
    }
    warmNext(blocked, now);
    return this;
  }

  /**
   * A new job's entity is not running until its lane asks it to start the job (the intake wrote
   * its first event). Waking the entities of the next jobs, one per lane, lets them recover while
   * the lanes are still busy, so the next starts do not wait for them.
   */
  private void warmNext(boolean blocked, Instant now) {
    if (blocked || !warmEntities) {
      return;
    }
    for (QueuedJob j : queue.upcoming(lanes.lanes(), now)) {
      if (warmed.add(j.jobId())) {
        jobs.apply(j.jobId()).tell(JobEntity.Warm.INSTANCE);
      }
    }
    while (warmed.size() > 8 * lanes.lanes()) { // only the recent ones matter
      warmed.remove(warmed.iterator().next());
    }
  }

  private void undoActivationIfUnused(QueuedJob job) {
    String session = job.sessionId();
    boolean othersOnLanes = running.values().stream().anyMatch(r -> r.job().inSession(session));
    if (queue.holder().filter(session::equals).isPresent() && !holdConfirmed && !othersOnLanes) {
      queue.release(session);
    }
  }
}
