package dev.lanes.core.circuit;

import dev.lanes.core.circuit.QasmLexer.Kind;
import dev.lanes.core.circuit.QasmLexer.Token;
import dev.lanes.core.circuit.QuantumCircuit.Register;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the subset of OpenQASM 2.0 that Lanes runs: registers, the standard gates (see {@link
 * StandardGate}), measure, reset and barrier, with register broadcast. Every refusal is a {@link
 * QasmException}; no other exception escapes, whatever the input.
 */
public final class QasmParser {
  /** Caps on declared bits and on instructions, so that a short program cannot exhaust memory. */
  public static final int MAX_BITS = 1 << 16;

  public static final int MAX_OPS = 1_000_000;

  private final Tokens in;
  private final Map<String, Register> qregs = new LinkedHashMap<>();
  private final Map<String, Register> cregs = new LinkedHashMap<>();
  private final List<Op> ops = new ArrayList<>();
  private int numQubits;
  private int numClbits;

  private QasmParser(Tokens in) {
    this.in = in;
  }

  public static QuantumCircuit parse(String source) {
    if (source == null) {
      throw new QasmException(1, "no program given");
    }
    QasmParser parser = new QasmParser(new Tokens(QasmLexer.tokenize(source)));
    return parser.program();
  }

  private QuantumCircuit program() {
    header();
    while (in.peek().kind() != Kind.EOF) {
      statement();
    }
    return new QuantumCircuit(
        numQubits, numClbits, ops, List.copyOf(qregs.values()), List.copyOf(cregs.values()));
  }

  private void header() {
    Token t = in.next();
    if (!t.is("OPENQASM")) {
      throw Tokens.error(t, "expected 'OPENQASM 2.0;' header but found " + t.describe());
    }
    Token version = in.expect(Kind.NUMBER, "a version number");
    if (!version.text().equals("2.0") && !version.text().equals("2")) {
      throw Tokens.error(version, "unsupported OpenQASM version " + version.quoted());
    }
    in.expect(";");
  }

  private void statement() {
    Token t = in.next();
    if (t.kind() != Kind.IDENT) {
      throw Tokens.error(t, "expected a statement but found " + t.describe());
    }
    switch (t.text()) {
      case "include" -> include();
      case "qreg" -> declare(qregs, true);
      case "creg" -> declare(cregs, false);
      case "measure" -> measure(t);
      case "reset" -> reset();
      case "barrier" -> barrier();
      case "gate" -> throw Tokens.error(t, "custom gate definitions are not supported");
      case "opaque" -> throw Tokens.error(t, "opaque gates are not supported");
      case "if" -> throw Tokens.error(t, "classically conditioned operations are not supported");
      case "OPENQASM" -> throw Tokens.error(t, "'OPENQASM' may only appear once, at the start");
      default -> gate(t);
    }
  }

  private void include() {
    Token file = in.expect(Kind.STRING, "a file name in quotes");
    if (!file.text().equals("qelib1.inc")) {
      throw Tokens.error(file, "cannot include " + file.quoted() + " (only qelib1.inc)");
    }
    in.expect(";");
  }

  private void declare(Map<String, Register> registers, boolean quantum) {
    Token name = in.expect(Kind.IDENT, "a register name");
    if (qregs.containsKey(name.text()) || cregs.containsKey(name.text())) {
      throw Tokens.error(name, "register " + name.quoted() + " is already declared");
    }
    in.expect("[");
    Token sizeToken = in.peek();
    int size = integer();
    in.expect("]");
    in.expect(";");
    int offset = quantum ? numQubits : numClbits;
    if (size == 0 || offset + size > MAX_BITS) {
      throw Tokens.error(sizeToken, "register size must be between 1 and " + (MAX_BITS - offset));
    }
    registers.put(name.text(), new Register(name.text(), size, offset));
    if (quantum) {
      numQubits += size;
    } else {
      numClbits += size;
    }
  }

  private void gate(Token name) {
    StandardGate gate = StandardGate.byQasmName(name.text());
    if (gate == null) {
      throw Tokens.error(name, "unknown gate " + name.quoted());
    }
    List<Double> params = new ArrayList<>();
    if (in.accept("(") && !in.accept(")")) {
      do {
        params.add(ExpressionParser.parse(in));
      } while (in.accept(","));
      in.expect(")");
    }
    List<QasmArg> args = argList();
    in.expect(";");
    if (params.size() != gate.numParams) {
      throw Tokens.error(name, arity(name, gate.numParams, "parameter", params.size()));
    }
    if (args.size() != gate.numQubits) {
      throw Tokens.error(name, arity(name, gate.numQubits, "qubit", args.size()));
    }
    double[] values = params.stream().mapToDouble(Double::doubleValue).toArray();
    int times = QasmArg.broadcastSize(name, args);
    for (int i = 0; i < times; i++) {
      int[] qubits = new int[args.size()];
      for (int a = 0; a < qubits.length; a++) {
        qubits[a] = args.get(a).flat(i);
        for (int b = 0; b < a; b++) {
          if (qubits[b] == qubits[a]) {
            String qubit = args.get(a).name(i);
            throw Tokens.error(name, "qubit " + qubit + " used twice in " + name.quoted());
          }
        }
      }
      add(name, new Op.Gate(gate.qasmName, qubits, values));
    }
  }

  private void measure(Token keyword) {
    QasmArg qubit = arg(true);
    in.expect("->");
    QasmArg clbit = arg(false);
    in.expect(";");
    if (qubit.whole() != clbit.whole()
        || (qubit.whole() && qubit.reg().size() != clbit.reg().size())) {
      throw Tokens.error(keyword, "measure needs two single bits or two registers of equal size");
    }
    for (int i = 0; i < qubit.width(); i++) {
      add(keyword, new Op.Measure(qubit.flat(i), clbit.flat(i)));
    }
  }

  private void reset() {
    Token at = in.peek();
    QasmArg qubit = arg(true);
    in.expect(";");
    for (int i = 0; i < qubit.width(); i++) {
      add(at, new Op.Reset(qubit.flat(i)));
    }
  }

  private void barrier() {
    Token at = in.peek();
    Set<Integer> qubits = new LinkedHashSet<>();
    for (QasmArg a : argList()) {
      for (int i = 0; i < a.width(); i++) {
        qubits.add(a.flat(i));
      }
    }
    in.expect(";");
    add(at, new Op.Barrier(qubits.stream().mapToInt(Integer::intValue).toArray()));
  }

  private List<QasmArg> argList() {
    List<QasmArg> args = new ArrayList<>();
    do {
      args.add(arg(true));
    } while (in.accept(","));
    return args;
  }

  private QasmArg arg(boolean quantum) {
    Token name = in.expect(Kind.IDENT, quantum ? "a qubit" : "a classical bit");
    Register reg = (quantum ? qregs : cregs).get(name.text());
    if (reg == null) {
      boolean otherKind = (quantum ? cregs : qregs).containsKey(name.text());
      throw Tokens.error(name, otherKind
          ? name.quoted() + " is a " + (quantum ? "classical" : "quantum") + " register"
          : "undeclared register " + name.quoted());
    }
    if (!in.accept("[")) {
      return new QasmArg(reg, -1);
    }
    int index = integer();
    in.expect("]");
    if (index >= reg.size()) {
      throw Tokens.error(name, "index " + index + " out of range for register "
          + QasmLexer.quote(reg.name()) + " of size " + reg.size());
    }
    return new QasmArg(reg, index);
  }

  private int integer() {
    Token t = in.expect(Kind.NUMBER, "an integer");
    if (!t.text().chars().allMatch(Character::isDigit)) {
      throw Tokens.error(t, "expected an integer but found " + t.quoted());
    }
    if (t.text().length() > 9) {
      throw Tokens.error(t, "number " + t.quoted() + " is too large");
    }
    return Integer.parseInt(t.text());
  }

  private void add(Token at, Op op) {
    if (ops.size() >= MAX_OPS) {
      throw Tokens.error(at, "program has more than " + MAX_OPS + " operations");
    }
    ops.add(op);
  }

  private static String arity(Token gate, int expected, String what, int got) {
    return "gate " + gate.quoted() + " takes " + expected + " " + what + (expected == 1 ? "" : "s")
        + " but got " + got;
  }
}
