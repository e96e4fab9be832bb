package dev.lanes.bench.demo;

import dev.lanes.core.model.JobShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 1, the FAQ's "How is running N PUBs in job mode different from running N single-PUB jobs
 * in batch mode?": the same PUBs sent once as one job and once as a batch of single-PUB jobs, on
 * a free backend, for a QPU-bound workload (the FAQ's 80 circuits of 100×100) and a
 * classical-bound one (1000 small circuits). Time is the backend's makespan, from the first job's
 * {@code running} to the last one's {@code finished}; cost is the jobs' {@code quantum_seconds}
 * (R25). Both are checked against the timing model (R3): the batch always costs more, by the
 * per-job overhead; it is slower when the QPU is the bottleneck and faster when classical
 * processing is.
 */
public final class PubsVsBatchStep implements Step {

  /** {@code pubs} PUBs of {@code circuitsPerPub} circuits of {@code qubits} × {@code depth}, {@code shots} shots. */
  record Workload(String name, String bound, int pubs, int circuitsPerPub, int qubits, int depth, int shots) {
    String circuits() {
      return (pubs * circuitsPerPub) + " circuits of " + qubits + "×" + depth + ", " + shots + " shots";
    }
  }

  static final List<Workload> WORKLOADS = List.of(
      new Workload("1a", "QPU-bound: the FAQ's example", 2, 40, 100, 100, 4096),
      new Workload("1b", "classical-bound", 5, 200, 2, 2, 10));

  @Override
  public String name() {
    return "N PUBs in one job vs N jobs in a batch";
  }

  @Override
  public void run(Tour t) throws Exception {
    t.heading("1", "N PUBs in one job, or N jobs in a batch?",
        "batch: less total time when classical processing runs in parallel, a little more cost per extra job;"
            + " two jobs of 40 circuits (100×100) use 6 s more than one job of 80.");
    for (Workload w : WORKLOADS) {
      runCase(t, w);
    }
  }

  private void runCase(Tour t, Workload w) throws Exception {
    JobShape pubShape = Figures.shape(1, w.circuitsPerPub(), w.qubits(), w.depth(), w.shots());
    JobShape oneShape = Figures.shape(w.pubs(), w.circuitsPerPub(), w.qubits(), w.depth(), w.shots());
    double modelOneTime = Figures.makespan(t.scale.timing(), t.lanes, List.of(oneShape));
    double modelBatchTime = Figures.makespan(t.scale.timing(), t.lanes, Figures.times(w.pubs(), pubShape));
    double modelOneCost = Figures.quantum(t.scale.timing(), List.of(oneShape));
    double modelBatchCost = Figures.quantum(t.scale.timing(), Figures.times(w.pubs(), pubShape));

    t.out.println();
    t.say("Case " + w.name() + " (" + w.bound() + "): " + w.circuits() + ", as " + w.pubs() + " PUBs of "
        + w.circuitsPerPub() + " circuits.");
    t.say(Tour.f("The model says: one job %s and %s; a batch of %d jobs %s and %s.", Fmt.s(modelOneTime),
        Fmt.qs(modelOneCost), w.pubs(), Fmt.s(modelBatchTime), Fmt.qs(modelBatchCost)));

    t.say("-> one job holding the " + w.pubs() + " PUBs (job mode):");
    String oneId = t.api.submit(t.body(w.pubs(), w.circuitsPerPub(), w.qubits(), w.depth(), w.shots(), null));
    Tour.Group one = new Tour.Group("job", List.of(oneId), t.api);
    t.watchToEnd(List.of(one));
    JobRun oneRun = t.runs(one, "J").get(0);
    double oneTime = oneRun.runSeconds();
    double oneCost = oneRun.quantumSeconds();
    t.progress("job " + oneRun.status() + ": ran " + Fmt.s(oneTime) + ", " + Fmt.qs(oneCost));

    t.say("-> the same PUBs as a batch of " + w.pubs() + " single-PUB jobs (batch mode), closed once submitted:");
    String batchId = t.api.openSession("batch", t.backend, null).path("id").asText();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < w.pubs(); i++) {
      ids.add(t.api.submit(t.body(1, w.circuitsPerPub(), w.qubits(), w.depth(), w.shots(), batchId)));
    }
    t.api.closeSession(batchId);
    Tour.Group batch = new Tour.Group("batch", ids, t.api);
    t.watchToEnd(List.of(batch));
    List<JobRun> runs = t.runs(batch, null);
    Instant first = null;
    Instant last = null;
    double batchCost = 0;
    boolean allCompleted = "Completed".equals(oneRun.status());
    for (JobRun r : runs) {
      allCompleted &= "Completed".equals(r.status()) && r.ran() && r.finished() != null;
      if (r.running() != null && (first == null || r.running().isBefore(first))) {
        first = r.running();
      }
      if (r.finished() != null && (last == null || r.finished().isAfter(last))) {
        last = r.finished();
      }
      batchCost += r.quantumSeconds();
    }
    double batchTime = first == null || last == null ? Double.NaN : JobRun.seconds(first, last);
    double elapsed = t.awaitSession(batchId, s -> "closed".equals(s.path("state").asText())).path("elapsed_time").asDouble();
    t.progress(Tour.f("batch: ran %s (first start to last end), %s; the batch's elapsed_time %s",
        Fmt.s(batchTime), Fmt.qs(batchCost), Fmt.qs(elapsed)));
    t.charge(oneCost + batchCost);
    t.out.println();
    t.say("On their lanes, each from its first start (- classical work on the lane or waiting for the QPU,");
    t.say("Q the quantum part on the QPU; J the one job, 1-" + w.pubs() + " the batch's jobs):");
    for (String line : LaneChart.phases(List.of(List.of(oneRun), runs), 60).split("\n")) {
      t.say(line);
    }

    // The checks: cost exactly as the model says (R3, R25); time in the direction the model says.
    double extra = batchCost - oneCost;
    double modelExtra = modelBatchCost - modelOneCost;
    boolean costOk = Math.abs(oneCost - modelOneCost) < 1e-3 && Math.abs(extra - modelExtra) < 1e-3 && extra > 0
        && Math.abs(elapsed - batchCost) < 1e-3;
    double modelDiff = modelBatchTime - modelOneTime;
    double diff = batchTime - oneTime;
    boolean timeOk = Math.abs(modelDiff) < 0.1 * modelOneTime || Math.signum(diff) == Math.signum(modelDiff);
    String timeWord = diff > 0 ? "slower" : "faster";
    String why = modelDiff > 0 ? "the QPU is the bottleneck: splitting only adds overhead"
        : "classical processing overlapped on " + Math.min(w.pubs(), t.lanes) + " lanes";
    t.say(Tour.f("The batch's extra cost is %d × the per-job overhead (model: %.3f quantum s); %s.", w.pubs() - 1, modelExtra, why));

    t.result(new StepResult(w.name(), w.circuits() + ": 1 job, " + w.pubs() + " PUBs",
        Fmt.s(oneTime) + Fmt.fullShort(t.scale, oneTime), Fmt.qs(oneCost) + Fmt.fullShort(t.scale, oneCost),
        oneRun.status(), "Completed".equals(oneRun.status())));
    boolean faqExample = w.pubs() == 2 && w.circuitsPerPub() == 40 && w.qubits() == 100 && w.depth() == 100 && w.shots() == 4096;
    String full = t.scale.uniform() && Math.abs(t.scale.factor() - 1) > 1e-9
        ? Tour.f(" (%.2f s at full scale%s)", t.scale.full(extra), faqExample ? ": the FAQ's 6 s" : "") : "";
    String modelWord = modelDiff > 0 ? "slower" : "faster";
    String outcome = Tour.f("costs %.3f quantum s more%s; %s %s%s: %s", extra, full, Fmt.ds(diff).substring(1), timeWord,
        timeWord.equals(modelWord) ? "" : Tour.f(" (model: %s %s%s)", Fmt.ds(modelDiff).substring(1), modelWord, timeOk ? ", a difference within this machine's noise" : ""),
        modelDiff > 0 ? "QPU-bound" : "classical work on " + Math.min(w.pubs(), t.lanes) + " lanes");
    if (!allCompleted) {
      outcome = "not every job Completed; " + outcome;
    }
    if (!costOk) {
      outcome = "cost differs from the timing model (R3/R25); " + outcome;
    }
    if (!timeOk) {
      outcome = "time went the other way than the model says; " + outcome;
    }
    t.result(new StepResult(w.name(), "  the same as a batch of " + w.pubs() + " jobs",
        Fmt.s(batchTime) + Fmt.fullShort(t.scale, batchTime), Fmt.qs(batchCost) + Fmt.fullShort(t.scale, batchCost),
        outcome, allCompleted && costOk && timeOk));
  }
}
