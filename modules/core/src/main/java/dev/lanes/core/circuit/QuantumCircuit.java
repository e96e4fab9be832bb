package dev.lanes.core.circuit;

import java.util.List;
import java.util.Objects;

/**
 * A parsed circuit: flat qubit and clbit indices, the instructions in program order, and the
 * declared registers (which map names back onto the flat indices).
 */
public record QuantumCircuit(
    int numQubits, int numClbits, List<Op> ops, List<Register> qregs, List<Register> cregs) {

  /** A declared register; its i-th bit has flattened index {@code offset + i}. */
  public record Register(String name, int size, int offset) {
    public Register {
      Objects.requireNonNull(name, "name");
      if (size < 0 || offset < 0) {
        throw new IllegalArgumentException("register " + name + " has a negative size or offset");
      }
    }

    public int index(int i) {
      return offset + i;
    }
  }

  public QuantumCircuit {
    if (numQubits < 0 || numClbits < 0) {
      throw new IllegalArgumentException("negative bit count");
    }
    ops = List.copyOf(ops);
    qregs = List.copyOf(qregs);
    cregs = List.copyOf(cregs);
    // Checked once here so that the simulator can index its arrays without re-checking.
    for (Op op : ops) {
      checkOp(op, numQubits, numClbits);
    }
    for (Register r : qregs) {
      checkRange(r, numQubits);
    }
    for (Register r : cregs) {
      checkRange(r, numClbits);
    }
  }

  /**
   * The length of the longest path through the circuit, counting every gate, measure and reset
   * (barriers are free). As in Qiskit, a measure also waits for its clbit's previous writer.
   */
  public int depth() {
    int[] qubitLevel = new int[numQubits];
    int[] clbitLevel = new int[numClbits];
    int depth = 0;
    for (Op op : ops) {
      int level = 0;
      if (op instanceof Op.Gate g) {
        for (int i = 0; i < g.arity(); i++) {
          level = Math.max(level, qubitLevel[g.qubit(i)] + 1);
        }
        for (int i = 0; i < g.arity(); i++) {
          qubitLevel[g.qubit(i)] = level;
        }
      } else if (op instanceof Op.Measure m) {
        level = Math.max(qubitLevel[m.qubit()], clbitLevel[m.clbit()]) + 1;
        qubitLevel[m.qubit()] = level;
        clbitLevel[m.clbit()] = level;
      } else if (op instanceof Op.Reset r) {
        level = ++qubitLevel[r.qubit()];
      }
      depth = Math.max(depth, level);
    }
    return depth;
  }

  private static void checkOp(Op op, int numQubits, int numClbits) {
    Objects.requireNonNull(op, "op");
    if (op instanceof Op.Gate g) {
      for (int i = 0; i < g.arity(); i++) {
        checkIndex(g.qubit(i), numQubits, "qubit");
      }
    } else if (op instanceof Op.Measure m) {
      checkIndex(m.qubit(), numQubits, "qubit");
      checkIndex(m.clbit(), numClbits, "clbit");
    } else if (op instanceof Op.Reset r) {
      checkIndex(r.qubit(), numQubits, "qubit");
    } else if (op instanceof Op.Barrier b) {
      for (int q : b.qubits()) {
        checkIndex(q, numQubits, "qubit");
      }
    }
  }

  private static void checkIndex(int index, int count, String kind) {
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(kind + " " + index + " out of range [0, " + count + ")");
    }
  }

  private static void checkRange(Register r, int count) {
    if ((long) r.offset() + r.size() > count) {
      throw new IllegalArgumentException("register " + r.name() + " exceeds " + count + " bits");
    }
  }
}
