package dev.lanes.core.circuit;

import java.util.HashMap;
import java.util.Map;

/** The gates the parser accepts: qelib1's basic set plus the built-ins U and CX. */
enum StandardGate {
  H("h", 0, 1),
  X("x", 0, 1),
  Y("y", 0, 1),
  Z("z", 0, 1),
  S("s", 0, 1),
  SDG("sdg", 0, 1),
  T("t", 0, 1),
  TDG("tdg", 0, 1),
  ID("id", 0, 1),
  RX("rx", 1, 1),
  RY("ry", 1, 1),
  RZ("rz", 1, 1),
  P("p", 1, 1),
  U1("u1", 1, 1),
  U2("u2", 2, 1),
  U3("u3", 3, 1),
  U("u", 3, 1),
  CX("cx", 0, 2),
  CZ("cz", 0, 2),
  SWAP("swap", 0, 2);

  private static final Map<String, StandardGate> BY_QASM_NAME = new HashMap<>();

  static {
    for (StandardGate g : values()) {
      BY_QASM_NAME.put(g.qasmName, g);
    }
    BY_QASM_NAME.put("U", U);
    BY_QASM_NAME.put("CX", CX);
  }

  /** The canonical (lower-case) name stored in {@link Op.Gate}. */
  final String qasmName;

  final int numParams;
  final int numQubits;

  StandardGate(String qasmName, int numParams, int numQubits) {
    this.qasmName = qasmName;
    this.numParams = numParams;
    this.numQubits = numQubits;
  }

  /** The gate a program names, or null if it is not one we know. */
  static StandardGate byQasmName(String name) {
    return BY_QASM_NAME.get(name);
  }
}
