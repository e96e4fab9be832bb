package dev.lanes.core.circuit;

import dev.lanes.core.circuit.StateVector.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a run of gates into {@link Step}s, multiplying together the one-qubit gates that meet on
 * a qubit between two-qubit gates: each pass over the state vector is the expensive part, and
 * transpiled circuits are mostly chains of one-qubit rotations.
 */
final class GateFusion {
  private GateFusion() {}

  static List<Step> fuse(List<Op.Gate> gates, int numQubits) {
    double[][] pending = new double[numQubits][];
    List<Step> steps = new ArrayList<>();
    for (Op.Gate g : gates) {
      StandardGate known = StandardGate.byQasmName(g.name());
      if (known == null || !known.qasmName.equals(g.name()) || known.numQubits != g.arity()
          || known.numParams != g.params().length) {
        throw new IllegalArgumentException("the simulator does not know the gate " + g);
      }
      if (g.arity() == 1) {
        int q = g.qubit(0);
        double[] m = GateMatrices.of(g.name(), g.params());
        pending[q] = pending[q] == null ? m : GateMatrices.multiply(m, pending[q]);
        continue;
      }
      int a = g.qubit(0);
      int b = g.qubit(1);
      // Pending gates on other qubits commute with this one and may wait longer.
      flush(pending, a, steps);
      flush(pending, b, steps);
      steps.add(new Step(kind(g.name()), a, b, null));
    }
    for (int q = 0; q < numQubits; q++) {
      flush(pending, q, steps);
    }
    return steps;
  }

  private static void flush(double[][] pending, int q, List<Step> steps) {
    if (pending[q] != null && !isIdentity(pending[q])) {
      steps.add(new Step(Step.Kind.ONE_QUBIT, q, -1, pending[q]));
    }
    pending[q] = null;
  }

  private static boolean isIdentity(double[] m) {
    return m[0] == 1 && m[1] == 0 && m[2] == 0 && m[3] == 0
        && m[4] == 0 && m[5] == 0 && m[6] == 1 && m[7] == 0;
  }

  private static Step.Kind kind(String name) {
    switch (name) {
      case "cx":
        return Step.Kind.CX;
      case "cz":
        return Step.Kind.CZ;
      case "swap":
        return Step.Kind.SWAP;
      default:
        throw new IllegalArgumentException("not a two-qubit gate: " + name);
    }
  }
}
