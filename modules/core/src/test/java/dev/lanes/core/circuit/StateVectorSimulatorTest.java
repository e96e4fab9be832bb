package dev.lanes.core.circuit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StateVectorSimulatorTest {
  private static final int SHOTS = 4000;

  private static QuantumCircuit qasm(String body) {
    return QasmParser.parse("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n" + body);
  }

  private static Map<String, Long> run(String body) {
    return StateVectorSimulator.sample(qasm(body), SHOTS, 42);
  }

  private static void assertAbout(double expectedFraction, Long count) {
    double fraction = count == null ? 0 : count / (double) SHOTS;
    assertEquals(expectedFraction, fraction, 0.05, "fraction " + fraction);
  }

  // simulator
  @Test
  void bellStateGivesOnlyCorrelatedOutcomesInRoughlyEqualShare() {
    Map<String, Long> counts =
        run("qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q[0] -> c[0];\n"
            + "measure q[1] -> c[1];\n");
    assertEquals(List.of("00", "11"), List.copyOf(counts.keySet()));
    assertTrue(counts.get("00") > 0.35 * SHOTS, counts.toString());
    assertTrue(counts.get("11") > 0.35 * SHOTS, counts.toString());
  }

  // simulator
  @Test
  void ghzOnThreeQubits() {
    Map<String, Long> counts =
        run("qreg q[3];\ncreg c[3];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\nmeasure q -> c;\n");
    assertEquals(List.of("000", "111"), List.copyOf(counts.keySet()));
    assertAbout(0.5, counts.get("000"));
  }

  // simulator
  @Test
  void xOnEveryQubitGivesAllOnes() {
    assertEquals(Map.of("1111", (long) SHOTS), run("qreg q[4];\ncreg c[4];\nx q;\nmeasure q -> c;"));
  }

  // simulator
  @Test
  void hadamardTwiceIsTheIdentity() {
    assertEquals(Map.of("0", (long) SHOTS), run("qreg q[1];\ncreg c[1];\nh q;\nh q;\nmeasure q -> c;"));
  }

  // simulator
  @Test
  void rxPiActsLikeX() {
    Map<String, Long> rx = run("qreg q[2];\ncreg c[2];\nrx(pi) q[1];\nmeasure q -> c;");
    assertEquals(run("qreg q[2];\ncreg c[2];\nx q[1];\nmeasure q -> c;"), rx);
    assertEquals(Map.of("10", (long) SHOTS), rx);
  }

  // simulator
  @Test
  void bitstringsAreInQiskitOrder() {
    assertEquals(Map.of("001", (long) SHOTS), run("qreg q[3];\ncreg c[3];\nx q[0];\nmeasure q -> c;"));
    assertEquals(Map.of("100", (long) SHOTS),
        run("qreg q[3];\ncreg c[3];\nx q[0];\nmeasure q[0] -> c[2];"));
  }

  // simulator
  @Test
  void controlIsTheFirstArgumentOfCx() {
    assertEquals(Map.of("11", (long) SHOTS),
        run("qreg q[2];\ncreg c[2];\nx q[0];\ncx q[0],q[1];\nmeasure q -> c;"));
    assertEquals(Map.of("10", (long) SHOTS),
        run("qreg q[2];\ncreg c[2];\nx q[1];\ncx q[0],q[1];\nmeasure q -> c;"));
  }

  // simulator
  @Test
  void swapAndCzBehave() {
    assertEquals(Map.of("10", (long) SHOTS),
        run("qreg q[2];\ncreg c[2];\nx q[0];\nswap q[0],q[1];\nmeasure q -> c;"));
    // H·CZ·H on the target is a CNOT.
    assertEquals(Map.of("11", (long) SHOTS),
        run("qreg q[2];\ncreg c[2];\nx q[0];\nh q[1];\ncz q[0],q[1];\nh q[1];\nmeasure q -> c;"));
  }

  // simulator
  @Test
  void registerBroadcastAppliesToEveryBit() {
    Map<String, Long> counts =
        run("qreg a[2];\nqreg b[2];\ncreg c[4];\nx a;\ncx a, b;\nmeasure a[0] -> c[0];\n"
            + "measure a[1] -> c[1];\nmeasure b[0] -> c[2];\nmeasure b[1] -> c[3];");
    assertEquals(Map.of("1111", (long) SHOTS), counts);
  }

  // simulator
  @Test
  void measuresIntoASecondRegisterAndSplitsByRegister() {
    QuantumCircuit c =
        qasm("qreg q[2];\ncreg a[1];\ncreg b[2];\nx q[0];\nmeasure q[0] -> b[1];\n"
            + "measure q[1] -> a[0];\n");
    // b[1] is clbit 2, the leftmost character; a[0] and b[0] read 0.
    assertEquals(Map.of("100", (long) SHOTS), StateVectorSimulator.sample(c, SHOTS, 1));
    assertEquals(
        Map.of("a", Map.of("0", (long) SHOTS), "b", Map.of("10", (long) SHOTS)),
        StateVectorSimulator.sampleByRegister(c, SHOTS, 1));
  }

  // simulator
  @Test
  void sampleByRegisterSplitsTheSameShots() {
    QuantumCircuit c =
        qasm("qreg q[2];\ncreg a[1];\ncreg b[1];\nh q[0];\ncx q[0],q[1];\nmeasure q[0] -> a[0];\n"
            + "measure q[1] -> b[0];\n");
    Map<String, Long> all = StateVectorSimulator.sample(c, SHOTS, 7);
    Map<String, Map<String, Long>> split = StateVectorSimulator.sampleByRegister(c, SHOTS, 7);
    assertEquals(List.of("a", "b"), List.copyOf(split.keySet()));
    assertEquals(all.get("00"), split.get("a").get("0"));
    assertEquals(all.get("11"), split.get("b").get("1"));
  }

  // simulator
  @Test
  void unmeasuredClbitsReadZero() {
    assertEquals(Map.of("000", (long) SHOTS), run("qreg q[1];\ncreg c[3];\nx q[0];"));
    assertEquals(Map.of("", (long) SHOTS), run("qreg q[1];\nh q[0];"));
  }

  // simulator
  @Test
  void midCircuitMeasureAndResetCollapse() {
    String body = "qreg q[1];\ncreg c[2];\nx q[0];\nmeasure q[0]->c[0];\nreset q[0];\n"
        + "measure q[0]->c[1];\n";
    assertFalse(StateVectorSimulator.measuresAreTerminal(qasm(body)));
    assertEquals(Map.of("01", (long) SHOTS), run(body));
  }

  // simulator
  @Test
  void resetOfAnEntangledQubitLeavesItsPartnerRandom() {
    Map<String, Long> counts = run("qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nreset q[0];\n"
        + "measure q -> c;\n");
    assertEquals(List.of("00", "10"), List.copyOf(counts.keySet()));
    assertAbout(0.5, counts.get("10"));
  }

  // simulator
  @Test
  void gatesAfterAMeasurementSeeTheCollapsedState() {
    Map<String, Long> counts =
        run("qreg q[1];\ncreg c[2];\nh q[0];\nmeasure q[0]->c[0];\nh q[0];\nmeasure q[0]->c[1];");
    for (String key : List.of("00", "01", "10", "11")) {
      assertAbout(0.25, counts.get(key));
    }
  }

  // simulator
  @Test
  void resetOnAFreshQubitKeepsTheSingleSimulationPath() {
    QuantumCircuit c = qasm("qreg q[2];\ncreg c[2];\nreset q;\nh q[0];\nmeasure q -> c;\n"
        + "measure q -> c;\nbarrier q;\n");
    assertTrue(StateVectorSimulator.measuresAreTerminal(c));
    Map<String, Long> counts = StateVectorSimulator.sample(c, SHOTS, 3);
    assertEquals(List.of("00", "01"), List.copyOf(counts.keySet()));
  }

  // simulator
  @Test
  void gateMatricesFollowQiskit() {
    double t = 0.7;
    double p = -1.3;
    double l = 2.1;
    double[] u3 = GateMatrices.of("u3", new double[] {t, p, l});
    assertArrayEquals(new double[] {
        Math.cos(t / 2), 0,
        -Math.cos(l) * Math.sin(t / 2), -Math.sin(l) * Math.sin(t / 2),
        Math.cos(p) * Math.sin(t / 2), Math.sin(p) * Math.sin(t / 2),
        Math.cos(p + l) * Math.cos(t / 2), Math.sin(p + l) * Math.cos(t / 2)}, u3, 1e-15);
    assertArrayEquals(u3, GateMatrices.of("u", new double[] {t, p, l}), 0);
    assertArrayEquals(GateMatrices.of("u3", new double[] {Math.PI / 2, p, l}),
        GateMatrices.of("u2", new double[] {p, l}), 1e-15);
    assertArrayEquals(GateMatrices.of("u3", new double[] {t, -Math.PI / 2, Math.PI / 2}),
        GateMatrices.of("rx", new double[] {t}), 1e-15);
    assertArrayEquals(GateMatrices.of("u3", new double[] {t, 0, 0}),
        GateMatrices.of("ry", new double[] {t}), 1e-15);
    assertArrayEquals(new double[] {Math.cos(t / 2), -Math.sin(t / 2), 0, 0, 0, 0,
        Math.cos(t / 2), Math.sin(t / 2)}, GateMatrices.of("rz", new double[] {t}), 1e-15);
    assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0, Math.cos(l), Math.sin(l)},
        GateMatrices.of("p", new double[] {l}), 1e-15);
    assertArrayEquals(GateMatrices.of("p", new double[] {l}),
        GateMatrices.of("u1", new double[] {l}), 0);
    double[] none = new double[0];
    double[] t2 = GateMatrices.multiply(GateMatrices.of("t", none), GateMatrices.of("t", none));
    assertArrayEquals(GateMatrices.of("s", none), t2, 1e-15);
    double[] ssdg = GateMatrices.multiply(GateMatrices.of("s", none), GateMatrices.of("sdg", none));
    assertArrayEquals(GateMatrices.of("id", none), ssdg, 1e-15);
    double[] tdgt = GateMatrices.multiply(GateMatrices.of("tdg", none), GateMatrices.of("t", none));
    assertArrayEquals(GateMatrices.of("id", none), tdgt, 1e-15);
    // Y = i·X·Z
    double[] xz = GateMatrices.multiply(GateMatrices.of("x", none), GateMatrices.of("z", none));
    double[] y = GateMatrices.of("y", none);
    for (int k = 0; k < 8; k += 2) {
      assertEquals(y[k], -xz[k + 1], 1e-15);
      assertEquals(y[k + 1], xz[k], 1e-15);
    }
  }

  // simulator
  @Test
  void phasesInterfere() {
    // H S S H = H Z H = X; H T T T T H likewise.
    assertEquals(Map.of("1", (long) SHOTS),
        run("qreg q[1];\ncreg c[1];\nh q;\ns q;\ns q;\nh q;\nmeasure q -> c;"));
    assertEquals(Map.of("1", (long) SHOTS),
        run("qreg q[1];\ncreg c[1];\nh q;\nt q;\nt q;\nt q;\nt q;\nh q;\nmeasure q -> c;"));
    assertEquals(Map.of("0", (long) SHOTS),
        run("qreg q[1];\ncreg c[1];\nh q;\nrz(pi/3) q;\np(-pi/3) q;\nh q;\nmeasure q -> c;"));
    assertEquals(Map.of("0", (long) SHOTS),
        run("qreg q[1];\ncreg c[1];\ny q;\nu3(pi,pi/2,pi/2) q;\nmeasure q -> c;"));
  }

  // R4
  @Test
  void refusesCircuitsWiderThanTheLimit() {
    QuantumCircuit wide = qasm("qreg q[25];\ncreg c[25];\nh q;\nmeasure q -> c;");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StateVectorSimulator.sample(wide, 10, 1));
    assertEquals("circuit has 25 qubits; the simulator's limit is 24", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> StateVectorSimulator.sampleByRegister(wide, 10, 1));
  }

  // simulator
  @Test
  void twentyQubitsDepthTwentyFourThousandShotsIsFast() {
    StringBuilder body = new StringBuilder("qreg q[20];\ncreg c[20];\n");
    SplittableRandom rng = new SplittableRandom(5);
    for (int layer = 0; layer < 20; layer++) {
      if (layer % 2 == 0) {
        for (int q = 0; q < 20; q++) {
          body.append("u3(").append(rng.nextDouble(3)).append(',').append(rng.nextDouble(3))
              .append(',').append(rng.nextDouble(3)).append(") q[").append(q).append("];\n");
        }
      } else {
        for (int q = layer % 4 == 1 ? 0 : 1; q + 1 < 20; q += 2) {
          body.append("cx q[").append(q).append("],q[").append(q + 1).append("];\n");
        }
      }
    }
    body.append("measure q -> c;\n");
    QuantumCircuit c = qasm(body.toString());
    assertEquals(21, c.depth());
    StateVectorSimulator.sample(c, 4096, 1); // warm-up for the JIT
    long start = System.nanoTime();
    Map<String, Long> counts = StateVectorSimulator.sample(c, 4096, 2);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(4096, counts.values().stream().mapToLong(Long::longValue).sum());
    assertTrue(millis < 2000, "took " + millis + " ms");
  }

  // simulator
  @Test
  void zeroShotsGiveNoCountsAndNegativeShotsAreRefused() {
    QuantumCircuit c = qasm("qreg q[1];\ncreg c[1];\nmeasure q -> c;");
    assertEquals(Map.of(), StateVectorSimulator.sample(c, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> StateVectorSimulator.sample(c, -1, 1));
  }

  // simulator
  @Test
  void refusesGatesItDoesNotKnow() {
    QuantumCircuit c = new QuantumCircuit(1, 0,
        List.of(new Op.Gate("sx", new int[] {0}, new double[0])), List.of(), List.of());
    assertThrows(IllegalArgumentException.class, () -> StateVectorSimulator.sample(c, 1, 1));
    QuantumCircuit wrongArity = new QuantumCircuit(1, 0,
        List.of(new Op.Gate("rx", new int[] {0}, new double[0])), List.of(), List.of());
    assertThrows(IllegalArgumentException.class,
        () -> StateVectorSimulator.sample(wrongArity, 1, 1));
  }
}
