package dev.lanes.core.circuit;

import java.util.Arrays;
import java.util.Objects;

/**
 * One instruction of a {@link QuantumCircuit}. Indices are flattened (see {@link
 * QuantumCircuit.Register}).
 */
public sealed interface Op {

  /**
   * A standard gate, named as in qelib1 ({@code CX} and {@code U} are stored as {@code cx} and
   * {@code u}). The first qubit of {@code cx} is the control.
   */
  record Gate(String name, int[] qubits, double[] params) implements Op {
    public Gate {
      Objects.requireNonNull(name, "name");
      // Arrays are copied in and out so that the record really is immutable.
      qubits = qubits.clone();
      params = params.clone();
      for (int i = 0; i < qubits.length; i++) {
        for (int j = 0; j < i; j++) {
          if (qubits[i] == qubits[j]) {
            throw new IllegalArgumentException(name + " uses qubit " + qubits[i] + " twice");
          }
        }
      }
    }

    @Override
    public int[] qubits() {
      return qubits.clone();
    }

    @Override
    public double[] params() {
      return params.clone();
    }

    /** The i-th qubit, without copying the array (the simulator calls this in its loop). */
    public int qubit(int i) {
      return qubits[i];
    }

    /** The i-th parameter, without copying the array. */
    public double param(int i) {
      return params[i];
    }

    public int arity() {
      return qubits.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Gate g
          && name.equals(g.name)
          && Arrays.equals(qubits, g.qubits)
          && Arrays.equals(params, g.params);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * name.hashCode() + Arrays.hashCode(qubits)) + Arrays.hashCode(params);
    }

    @Override
    public String toString() {
      return name + Arrays.toString(params) + Arrays.toString(qubits);
    }
  }

  record Measure(int qubit, int clbit) implements Op {}

  record Reset(int qubit) implements Op {}

  /** Kept for fidelity to the source; it has no effect on simulation or depth. */
  record Barrier(int[] qubits) implements Op {
    public Barrier {
      qubits = qubits.clone();
    }

    @Override
    public int[] qubits() {
      return qubits.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Barrier b && Arrays.equals(qubits, b.qubits);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(qubits);
    }

    @Override
    public String toString() {
      return "barrier" + Arrays.toString(qubits);
    }
  }
}
