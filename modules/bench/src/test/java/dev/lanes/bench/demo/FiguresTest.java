package dev.lanes.bench.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.core.model.JobShape;
import dev.lanes.core.model.TimingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timing model's predictions the demo prints: README's "N PUBs in one job, or N jobs in a batch?" table. */
class FiguresTest {
  private static final TimingModel DEFAULT = TimingModel.defaults();

  // R3: one job of 80 circuits of 100×100 at 4096 shots uses 87.92 s; two jobs of 40 use 6 s more
  @Test
  void theFaqExampleCostsSixSecondsMoreAsTwoJobs() {
    JobShape one = Figures.shape(2, 40, 100, 100, 4096);
    JobShape half = Figures.shape(1, 40, 100, 100, 4096);
    assertEquals(87.92, Figures.quantum(DEFAULT, List.of(one)), 1e-9);
    assertEquals(93.92, Figures.quantum(DEFAULT, Figures.times(2, half)), 1e-9);
    assertEquals(1.6 + 87.92 + 0.4, Figures.makespan(DEFAULT, 5, List.of(one)), 1e-9);
    assertEquals(0.8 + 2 * 46.96 + 0.2, Figures.makespan(DEFAULT, 5, Figures.times(2, half)), 1e-9);
  }

  // R2: classical work overlaps on the lanes, so the batch finishes sooner though it costs more
  @Test
  void aClassicalBoundBatchIsFasterAndCostsMore() {
    JobShape one = Figures.shape(5, 200, 2, 2, 10);
    JobShape fifth = Figures.shape(1, 200, 2, 2, 10);
    assertEquals(4.5016, Figures.quantum(DEFAULT, List.of(one)), 1e-9);
    assertEquals(5 * 2.5016, Figures.quantum(DEFAULT, Figures.times(5, fifth)), 1e-9);
    assertEquals(20 + 4.5016 + 5, Figures.makespan(DEFAULT, 5, List.of(one)), 1e-9);
    assertEquals(4 + 5 * 2.5016 + 1, Figures.makespan(DEFAULT, 5, Figures.times(5, fifth)), 1e-9);
  }

  // R1: more jobs than lanes wait for a lane
  @Test
  void jobsBeyondTheLanesWaitForOne() {
    TimingModel classicalOnly = new TimingModel(java.time.Duration.ofSeconds(1), java.time.Duration.ZERO,
        java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ZERO);
    JobShape oneCircuit = Figures.shape(1, 1, 2, 2, 1);
    assertEquals(1.0, Figures.makespan(classicalOnly, 5, Figures.times(5, oneCircuit)), 1e-9);
    assertEquals(2.0, Figures.makespan(classicalOnly, 5, Figures.times(6, oneCircuit)), 1e-9);
    assertEquals(6.0, Figures.makespan(classicalOnly, 1, Figures.times(6, oneCircuit)), 1e-9);
  }
}
