package dev.lanes.bench.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Step 2, the FAQ's example in "When would my batch mode jobs run in parallel with other users'
 * jobs?": five lanes, two held by another user's jobs (A, B), a batch of six jobs (1–6). Three of
 * them start at once on the free lanes; the others start as lanes free. Two more jobs of the other
 * user (C, D) are queued after the batch's first three and before its last three: the batch is
 * active, so its jobs still go first ("all the other jobs in that batch essentially jump to the
 * front of the queue", R5b, R19), and C and D start on lanes the batch no longer needs (R7).
 * Checked on the server's timestamps and lanes.
 */
public final class FiveLaneBatchStep implements Step {
  // Full-scale sizes (default timing): A, B hold a lane about 52 s, batch jobs and C, D about 27 s,
  // long beside the few requests the demo sends between a lane filling and the next one freeing.
  static final int HOLDER_CIRCUITS = 2000;
  static final int JOB_CIRCUITS = 1000;

  @Override
  public String name() {
    return "the 5-lane batch example";
  }

  @Override
  public void run(Tour t) throws Exception {
    t.heading("2", "A batch of six on five lanes, two of them busy",
        "the scheduler starts three of your six batch jobs, then more as lanes free; when your batch has no"
            + " more jobs, the next job in line.");
    String who = t.otherIsSeparate ? "another user (instance other-lab)" : "another user (the same instance: no second token)";
    t.say("A, B: " + who + ", " + HOLDER_CIRCUITS + " circuits each; 1-6: your batch; C, D: the other user again, "
        + JOB_CIRCUITS + " circuits each like the batch's jobs.");

    t.say("-> A and B start on two of the five lanes:");
    List<String> holders = List.of(submitOther(t, HOLDER_CIRCUITS), submitOther(t, HOLDER_CIRCUITS));
    Tour.Group ab = new Tour.Group("A,B", holders, t.other);
    t.watch(List.of(ab), s -> s.count(ab, "Running") == 2);

    t.say("-> your batch's first three jobs: three lanes are free, all three start:");
    String batchId = t.api.openSession("batch", t.backend, null).path("id").asText();
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(t.api.submit(t.body(1, JOB_CIRCUITS, 2, 2, 1, batchId)));
    }
    Tour.Group b = new Tour.Group("batch", batch, t.api);
    t.watch(List.of(ab, b), s -> s.count(b, "Running") + s.count(b, "Completed") == 3);

    t.say("-> C and D queue (no lane free), then your batch's last three: they go ahead of C and D:");
    List<String> later = List.of(submitOther(t, JOB_CIRCUITS), submitOther(t, JOB_CIRCUITS));
    for (int i = 0; i < 3; i++) {
      batch.add(t.api.submit(t.body(1, JOB_CIRCUITS, 2, 2, 1, batchId)));
    }
    t.api.closeSession(batchId);
    Tour.Group cd = new Tour.Group("C,D", later, t.other);
    t.watchToEnd(List.of(ab, b, cd));

    List<JobRun> a = t.runs(ab, null);
    a = List.of(relabel(a.get(0), "A"), relabel(a.get(1), "B"));
    List<JobRun> bs = t.runs(b, null);
    List<JobRun> cdRuns = t.runs(cd, null);
    List<JobRun> c = List.of(relabel(cdRuns.get(0), "C"), relabel(cdRuns.get(1), "D"));
    List<JobRun> all = new ArrayList<>(a);
    all.addAll(bs);
    all.addAll(c);
    t.out.println();
    for (String line : LaneChart.render(all, t.lanes, 64).split("\n")) {
      t.say(line);
    }
    t.say("(A, B, C, D: the other user; 1-6: your batch; from the jobs' running/finished timestamps and lanes)");

    List<String> problems = check(a, bs, c, t.lanes);
    Instant first = bs.stream().map(JobRun::running).filter(x -> x != null).min(Comparator.naturalOrder()).orElse(null);
    Instant last = bs.stream().map(JobRun::finished).filter(x -> x != null).max(Comparator.naturalOrder()).orElse(null);
    double time = first == null || last == null ? Double.NaN : JobRun.seconds(first, last);
    double cost = bs.stream().mapToDouble(JobRun::quantumSeconds).sum();
    t.charge(cost);
    if (!t.otherIsSeparate) {
      t.charge(a.stream().mapToDouble(JobRun::quantumSeconds).sum() + c.stream().mapToDouble(JobRun::quantumSeconds).sum());
    }
    boolean jumped = bs.stream().allMatch(x -> c.stream().allMatch(y -> y.running() != null && x.created().isBefore(y.running())));
    String outcome = problems.isEmpty()
        ? "3 of 6 started at once, the rest as lanes freed, " + (jumped ? "before C, D (queued earlier)"
            : "not shown jumping C, D: a lane freed before the batch's last job was sent")
        : String.join("; ", problems);
    t.result(new StepResult("2", "batch of 6, 2 of 5 lanes held by another user", Fmt.s(time) + Fmt.fullShort(t.scale, time),
        Fmt.qs(cost) + Fmt.fullShort(t.scale, cost), outcome, problems.isEmpty()));
  }

  /** What the FAQ says, on the server's timestamps; empty when it all holds. */
  static List<String> check(List<JobRun> holders, List<JobRun> batch, List<JobRun> nextInLine, int lanes) {
    List<String> problems = new ArrayList<>();
    List<JobRun> all = new ArrayList<>(holders);
    all.addAll(batch);
    all.addAll(nextInLine);
    for (JobRun r : all) {
      if (!"Completed".equals(r.status()) || r.running() == null || r.finished() == null) {
        problems.add("job " + r.label() + " ended " + r.status());
      }
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    Instant holdersFreeFirst = holders.stream().map(JobRun::finished).min(Comparator.naturalOrder()).orElseThrow();
    long atOnce = batch.subList(0, 3).stream().filter(r -> r.running().isBefore(holdersFreeFirst)).count();
    if (atOnce != 3) {
      problems.add("only " + atOnce + " of the batch's first 3 started while A and B held their lanes");
    }
    // R5b: once the batch is active, no other job starts while one of its jobs is queued.
    for (JobRun r : nextInLine) {
      for (JobRun b : batch) {
        if (b.created().isBefore(r.running()) && b.running().isAfter(r.running())) {
          problems.add("job " + r.label() + " started while batch job " + b.label() + " was queued (R5b)");
        }
      }
    }
    int peak = peakRunning(all);
    if (peak > lanes) {
      problems.add(peak + " jobs ran at once on " + lanes + " lanes (R1)");
    }
    return problems;
  }

  /** The most jobs running at the same instant. */
  static int peakRunning(List<JobRun> runs) {
    List<long[]> edges = new ArrayList<>();
    for (JobRun r : runs) {
      if (r.running() != null && r.finished() != null) {
        edges.add(new long[] {nanos(r.running()), 1});
        edges.add(new long[] {nanos(r.finished()), -1});
      }
    }
    // An end and a start at the same instant: the lane was handed over, count the end first.
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int peak = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      peak = Math.max(peak, now);
    }
    return peak;
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static JobRun relabel(JobRun r, String label) {
    return new JobRun(r.id(), label, r.status(), r.created(), r.running(), r.finished(), r.lane(), r.quantumSeconds());
  }

  private static String submitOther(Tour t, int circuits) {
    return t.other.submit(t.body(1, circuits, 2, 2, 1, null));
  }
}
