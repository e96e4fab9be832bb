package dev.lanes.core.circuit;

import dev.lanes.core.circuit.QasmLexer.Token;
import dev.lanes.core.circuit.QuantumCircuit.Register;
import java.util.List;

/** An operand in a QASM statement: a whole register ({@code index < 0}) or one of its bits. */
record QasmArg(Register reg, int index) {
  boolean whole() {
    return index < 0;
  }

  /** How many bits it stands for. */
  int width() {
    return whole() ? reg.size() : 1;
  }

  /** The flat index of the bit used in the i-th application of a broadcast statement. */
  int flat(int i) {
    return reg.index(whole() ? i : index);
  }

  String name(int i) {
    return reg.name() + "[" + (whole() ? i : index) + "]";
  }

  /**
   * How many times a statement applies: registers given whole must agree in size, and single bits
   * are repeated alongside them.
   */
  static int broadcastSize(Token at, List<QasmArg> args) {
    Register first = null;
    for (QasmArg a : args) {
      if (!a.whole()) {
        continue;
      }
      if (first != null && a.reg().size() != first.size()) {
        throw Tokens.error(at, "registers " + QasmLexer.quote(first.name()) + " and "
            + QasmLexer.quote(a.reg().name()) + " differ in size (" + first.size() + " and "
            + a.reg().size() + ")");
      }
      first = a.reg();
    }
    return first == null ? 1 : first.size();
  }
}
