package dev.lanes.core.model;

import dev.lanes.core.circuit.QuantumCircuit;

/** The circuit of a PUB, in one of the forms the API accepts (api.md "PUBs"). */
public sealed interface CircuitSpec {
  CircuitSize size();

  /** How many circuits this stands for (descriptors may stand for several). */
  default long count() {
    return 1;
  }

  /** An OpenQASM 2 program, parsed at submit so that a bad one is refused (R4). */
  record Qasm(String source, QuantumCircuit circuit) implements CircuitSpec {
    @Override
    public CircuitSize size() {
      return new CircuitSize(circuit.numQubits(), circuit.depth());
    }
  }

  /** A timing-only stand-in for {@code circuits} circuits of the given size. */
  record Descriptor(int numQubits, int depth, long circuits) implements CircuitSpec {
    @Override
    public CircuitSize size() {
      return new CircuitSize(numQubits, depth);
    }

    @Override
    public long count() {
      return circuits;
    }
  }

  /** The public client's QPY-encoded circuit: opaque, sized from its header or its length. */
  record Opaque(int numQubits, int depth) implements CircuitSpec {
    @Override
    public CircuitSize size() {
      return new CircuitSize(numQubits, depth);
    }
  }
}
