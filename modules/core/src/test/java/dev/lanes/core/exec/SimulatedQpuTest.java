package dev.lanes.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.circuit.QasmParser;
import dev.lanes.core.model.CircuitSpec;
import dev.lanes.core.model.Pub;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedQpuTest {
  private static final String BELL = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n"
      + "h q[0];\ncx q[0],q[1];\nmeasure q[0] -> c[0];\nmeasure q[1] -> c[1];\n";

  private static final QpuExecutor QPU = new SimulatedQpu();

  private static ExecutionResult run(long seed, Pub... pubs) {
    return QPU.execute(new ExecutionRequest("job-1", "sim", List.of(pubs), seed));
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  // R3: a timing-only PUB's counts add up to shots × circuits, and say they are a sample
  @Test
  void descriptorCountsSumToShotsTimesCircuits() {
    ExecutionResult r = run(7, new Pub(new CircuitSpec.Descriptor(100, 100, 3), 1000, 2),
        new Pub(new CircuitSpec.Descriptor(3, 4, 5), 64, 0));
    assertEquals(2, r.pubs().size());
    ExecutionResult.PubResult first = r.pubs().get(0);
    assertEquals(1000, first.shots());
    assertEquals(6, first.circuits());
    assertEquals(6000, sum(first.counts().get("meas")));
    assertFalse(first.simulated());
    assertNotNull(first.note());
    assertTrue(first.note().contains("sample"), first.note());
    assertTrue(first.counts().get("meas").keySet().stream().allMatch(k -> k.matches("[01]{8}")));
    ExecutionResult.PubResult second = r.pubs().get(1);
    assertEquals(5, second.circuits());
    assertEquals(320, sum(second.counts().get("meas")));
    assertTrue(second.counts().get("meas").keySet().stream().allMatch(k -> k.matches("[01]{3}")));
  }

  // R3: an opaque circuit is timing-only too
  @Test
  void opaqueCircuitIsSampled() {
    ExecutionResult.PubResult p = run(1, new Pub(new CircuitSpec.Opaque(1, 1), 50, 0)).pubs().get(0);
    assertEquals(50, sum(p.counts().get("meas")));
    assertFalse(p.simulated());
    assertTrue(p.counts().get("meas").keySet().stream().allMatch(k -> k.equals("0") || k.equals("1")));
  }

  // same seed → same counts; another seed → (almost surely) other counts
  @Test
  void sameSeedSameCounts() {
    Pub pub = new Pub(new CircuitSpec.Descriptor(100, 100, 4), 4096, 0);
    Pub bell = new Pub(new CircuitSpec.Qasm(BELL, QasmParser.parse(BELL)), 1000, 0);
    assertEquals(run(42, pub, bell), run(42, pub, bell));
    assertNotEquals(run(42, pub).pubs().get(0).counts(), run(43, pub).pubs().get(0).counts());
  }

  // an OpenQASM Bell circuit is really simulated: only 00 and 11
  @Test
  void bellPubGivesOnlyCorrelatedOutcomes() {
    Pub bell = new Pub(new CircuitSpec.Qasm(BELL, QasmParser.parse(BELL)), 2000, 0);
    ExecutionResult.PubResult p = run(3, bell).pubs().get(0);
    assertTrue(p.simulated());
    assertNull(p.note());
    assertEquals(2000, p.shots());
    assertEquals(1, p.circuits());
    Map<String, Long> meas = p.counts().get("meas");
    assertTrue(Set.of("00", "11").containsAll(meas.keySet()), meas.toString());
    assertEquals(2000, sum(meas));
    assertTrue(meas.getOrDefault("00", 0L) > 600 && meas.getOrDefault("11", 0L) > 600, meas.toString());
    assertEquals(meas, p.counts().get("c"));
  }
}
