package dev.lanes.core.circuit;

import dev.lanes.core.circuit.StateVector.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A noise-free state-vector simulator. Counts are keyed by the bitstring of all classical bits in
 * Qiskit order: the leftmost character is the highest clbit. Clbits never measured read 0.
 */
public final class StateVectorSimulator {
  /** 2^24 amplitudes already take 256 MiB. */
  public static final int MAX_QUBITS = 24;

  private StateVectorSimulator() {}

  /** Counts per bitstring of all clbits, sorted by bitstring; they sum to {@code shots}. */
  public static Map<String, Long> sample(QuantumCircuit c, int shots, long seed) {
    if (c.numQubits() > MAX_QUBITS) {
      throw new IllegalArgumentException(
          "circuit has " + c.numQubits() + " qubits; the simulator's limit is " + MAX_QUBITS);
    }
    if (shots < 0) {
      throw new IllegalArgumentException("shots must not be negative: " + shots);
    }
    if (shots == 0) {
      return new TreeMap<>();
    }
    SplittableRandom rng = new SplittableRandom(seed);
    return measuresAreTerminal(c) ? sampleOnce(c, shots, rng) : sampleEachShot(c, shots, rng);
  }

  /**
   * Counts per classical register (keyed by register name, in declaration order), each from the
   * same shots as {@link #sample}.
   */
  public static Map<String, Map<String, Long>> sampleByRegister(
      QuantumCircuit c, int shots, long seed) {
    Map<String, Long> all = sample(c, shots, seed);
    int n = c.numClbits();
    Map<String, Map<String, Long>> byRegister = new LinkedHashMap<>();
    for (QuantumCircuit.Register r : c.cregs()) {
      Map<String, Long> counts = new TreeMap<>();
      // Qiskit order puts clbit k at character n - 1 - k, so a register is one substring.
      all.forEach(
          (bits, count) ->
              counts.merge(bits.substring(n - r.offset() - r.size(), n - r.offset()), count,
                  Long::sum));
      byRegister.put(r.name(), counts);
    }
    return byRegister;
  }

  /**
   * True if the circuit can be simulated once and then sampled: nothing acts on a qubit after it
   * is measured, and every reset finds its qubit untouched (so it is a no-op on |0⟩).
   */
  static boolean measuresAreTerminal(QuantumCircuit c) {
    boolean[] measured = new boolean[c.numQubits()];
    boolean[] touched = new boolean[c.numQubits()];
    for (Op op : c.ops()) {
      if (op instanceof Op.Gate g) {
        for (int i = 0; i < g.arity(); i++) {
          if (measured[g.qubit(i)]) {
            return false;
          }
          touched[g.qubit(i)] = true;
        }
      } else if (op instanceof Op.Reset r) {
        if (measured[r.qubit()] || touched[r.qubit()]) {
          return false;
        }
      } else if (op instanceof Op.Measure m) {
        measured[m.qubit()] = true;
      }
    }
    return true;
  }

  private static Map<String, Long> sampleOnce(QuantumCircuit c, int shots, SplittableRandom rng) {
    // The last measure into a clbit decides it; with terminal measures, re-measuring agrees.
    int[] source = new int[c.numClbits()];
    Arrays.fill(source, -1);
    int[] position = new int[c.numQubits()];
    Arrays.fill(position, -1);
    List<Op.Gate> gates = new ArrayList<>();
    for (Op op : c.ops()) {
      if (op instanceof Op.Measure m) {
        source[m.clbit()] = m.qubit();
        position[m.qubit()] = 0;
      } else if (op instanceof Op.Gate g) {
        gates.add(g);
      }
    }
    int measuredCount = 0;
    for (int q = 0; q < position.length; q++) {
      if (position[q] >= 0) {
        position[q] = measuredCount++;
      }
    }
    List<Step> steps = GateFusion.fuse(gates, c.numQubits());
    int[] outcomes = new int[shots];
    if (measuredCount > 0) {
      StateVector state = new StateVector(c.numQubits());
      steps.forEach(state::apply);
      double[] cumulative = Marginals.cumulative(state, position, measuredCount);
      double total = cumulative[cumulative.length - 1];
      for (int s = 0; s < shots; s++) {
        outcomes[s] = Marginals.search(cumulative, rng.nextDouble() * total);
      }
    }
    Arrays.sort(outcomes);
    Map<String, Long> counts = new TreeMap<>();
    for (int s = 0, run; s < shots; s += run) {
      run = 1;
      while (s + run < shots && outcomes[s + run] == outcomes[s]) {
        run++;
      }
      // Different outcomes can read the same (a clbit overwritten by a later measure): add up.
      counts.merge(bitstring(outcomes[s], source, position), (long) run, Long::sum);
    }
    return counts;
  }

  private static String bitstring(int outcome, int[] source, int[] position) {
    char[] bits = new char[source.length];
    for (int k = 0; k < source.length; k++) {
      boolean one = source[k] >= 0 && ((outcome >>> position[source[k]]) & 1) != 0;
      bits[source.length - 1 - k] = one ? '1' : '0';
    }
    return new String(bits);
  }

  private static Map<String, Long> sampleEachShot(
      QuantumCircuit c, int shots, SplittableRandom rng) {
    // The circuit as unitary blocks separated by measures and resets: blocks.get(k) runs before
    // collapses.get(k), and the last block after the last collapse.
    List<List<Step>> blocks = new ArrayList<>();
    List<Op> collapses = new ArrayList<>();
    List<Op.Gate> gates = new ArrayList<>();
    for (Op op : c.ops()) {
      if (op instanceof Op.Gate g) {
        gates.add(g);
      } else if (op instanceof Op.Measure || op instanceof Op.Reset) {
        blocks.add(GateFusion.fuse(gates, c.numQubits()));
        collapses.add(op);
        gates.clear();
      }
    }
    blocks.add(GateFusion.fuse(gates, c.numQubits()));
    // The first block is the same in every shot: simulate it once.
    StateVector prefix = new StateVector(c.numQubits());
    blocks.get(0).forEach(prefix::apply);
    StateVector state = new StateVector(c.numQubits());
    int n = c.numClbits();
    char[] bits = new char[n];
    Map<String, Long> counts = new HashMap<>();
    for (int s = 0; s < shots; s++) {
      state.copyFrom(prefix);
      Arrays.fill(bits, '0');
      for (int k = 0; k < collapses.size(); k++) {
        Op op = collapses.get(k);
        if (op instanceof Op.Measure m) {
          bits[n - 1 - m.clbit()] = state.measure(m.qubit(), rng) == 1 ? '1' : '0';
        } else {
          state.reset(((Op.Reset) op).qubit(), rng);
        }
        blocks.get(k + 1).forEach(state::apply);
      }
      counts.merge(new String(bits), 1L, Long::sum);
    }
    return new TreeMap<>(counts);
  }
}
