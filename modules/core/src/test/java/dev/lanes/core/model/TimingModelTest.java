package dev.lanes.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingModelTest {
  private static final TimingModel DEFAULT = TimingModel.defaults();

  private static JobShape descriptorJob(int qubits, int depth, long circuits, int shots) {
    return JobShape.of(List.of(new Pub(new CircuitSpec.Descriptor(qubits, depth, circuits), shots, 0)));
  }

  // R3: config.md worked example, one job of 80 circuits of 100×100 at 4096 shots = 87.92 s
  @Test
  void workedExampleOneJobOfEightyCircuits() {
    JobShape shape = descriptorJob(100, 100, 80, 4096);
    assertEquals(80, shape.circuits());
    assertEquals(80L * 4096, shape.totalShots());
    assertEquals(10_000, shape.largestQubitLayers());
    assertEquals(Duration.ofMillis(87_920), DEFAULT.quantum(shape));
  }

  // R3: two jobs of 40 use exactly 6 s more quantum time in total than one job of 80
  @Test
  void twoJobsOfFortyUseExactlySixSecondsMore() {
    Duration one = DEFAULT.quantum(descriptorJob(100, 100, 80, 4096));
    Duration half = DEFAULT.quantum(descriptorJob(100, 100, 40, 4096));
    assertEquals(Duration.ofMillis(46_960), half);
    assertEquals(Duration.ofSeconds(6), half.multipliedBy(2).minus(one));
  }

  // R3: N single-circuit PUBs in one job cost the same as one descriptor of N circuits
  @Test
  void eightySeparatePubsInOneJobCostTheSameAsOneDescriptor() {
    List<Pub> pubs = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      pubs.add(new Pub(new CircuitSpec.Descriptor(100, 100, 1), 4096, 0));
    }
    assertEquals(Duration.ofMillis(87_920), DEFAULT.quantum(JobShape.of(pubs)));
  }

  // R3: N single-PUB jobs cost more than one N-PUB job (overhead paid per job)
  @Test
  void splittingIntoSingleCircuitJobsCostsMore() {
    Duration single = DEFAULT.quantum(descriptorJob(100, 100, 1, 4096));
    Duration together = DEFAULT.quantum(descriptorJob(100, 100, 10, 4096));
    assertTrue(single.multipliedBy(10).compareTo(together) > 0);
    assertEquals(Duration.ofSeconds(6 * 9), single.multipliedBy(10).minus(together));
  }

  // R3: the size overhead follows the job's largest circuit (qubits × depth), not the sum
  @Test
  void sizeOverheadUsesLargestCircuit() {
    JobShape mixed = JobShape.of(List.of(
        new Pub(new CircuitSpec.Descriptor(10, 10, 1), 100, 0),
        new Pub(new CircuitSpec.Descriptor(100, 100, 1), 100, 0)));
    assertEquals(10_000, mixed.largestQubitLayers());
    // 2 s + 4 s + 200 shots × 250 µs
    assertEquals(Duration.ofMillis(6_050), DEFAULT.quantum(mixed));
  }

  // R2, R3: pre- and post-processing scale with the number of circuits
  @Test
  void preAndPostProcessingScaleWithCircuits() {
    JobShape eighty = descriptorJob(100, 100, 80, 4096);
    JobShape forty = descriptorJob(100, 100, 40, 4096);
    assertEquals(Duration.ofMillis(1_600), DEFAULT.preProcessing(eighty));
    assertEquals(Duration.ofMillis(400), DEFAULT.postProcessing(eighty));
    assertEquals(Duration.ofMillis(800), DEFAULT.preProcessing(forty));
    assertEquals(Duration.ofMillis(200), DEFAULT.postProcessing(forty));
    assertEquals(DEFAULT.preProcessing(eighty), DEFAULT.preProcessing(forty).multipliedBy(2));
  }

  // R2: parameter sets multiply the circuits a PUB stands for
  @Test
  void parameterSetsMultiplyCircuits() {
    JobShape shape = JobShape.of(List.of(new Pub(new CircuitSpec.Descriptor(5, 5, 10), 100, 3)));
    assertEquals(30, shape.circuits());
    assertEquals(3_000, shape.totalShots());
    assertEquals(Duration.ofMillis(600), DEFAULT.preProcessing(shape));
    assertEquals(Duration.ofMillis(150), DEFAULT.postProcessing(shape));
  }

  // R3: layer-time adds per shot per depth layer
  @Test
  void layerTimeAddsPerShotPerLayer() {
    TimingModel t = new TimingModel(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
        Duration.ZERO, Duration.ofNanos(1_000));
    JobShape shape = descriptorJob(3, 7, 2, 500);
    assertEquals(2L * 500 * 7, shape.totalShotLayers());
    assertEquals(Duration.ofNanos(7_000_000), t.quantum(shape));
  }

  // R3: an empty job costs only the fixed overhead
  @Test
  void emptyShapeCostsOnlyFixedOverhead() {
    JobShape none = JobShape.of(List.of());
    assertEquals(Duration.ofSeconds(2), DEFAULT.quantum(none));
    assertEquals(Duration.ZERO, DEFAULT.preProcessing(none));
  }

  // R3, R4, R28: a job that passes validation must not get a negative quantum time
  @Test
  void quantumTimeOfAnAcceptedJobIsNeverNegative() {
    TimingModel t = new TimingModel(Duration.ofMillis(20), Duration.ofMillis(5), Duration.ofSeconds(2),
        Duration.ofNanos(400_000), Duration.ofNanos(250_000), Duration.ofNanos(10_000));
    JobSpec spec = new JobSpec("sampler", "sim", List.of(
        new Pub(new CircuitSpec.Descriptor(1, 100_000_000, 10_000), 1_000, 0)), List.of(), null, "{}");
    BackendSpec backend = new BackendSpec("sim", 127, 5, false, t, "1");
    JobLimits limits = new JobLimits(10_000_000, 50L << 20, 8, 64, Duration.ofHours(3), 4096);
    assertFalse(JobValidator.validate(spec, backend, limits).isPresent());
    assertFalse(t.quantum(spec.shape()).isNegative(), () -> "quantum = " + t.quantum(spec.shape()));
  }
}
