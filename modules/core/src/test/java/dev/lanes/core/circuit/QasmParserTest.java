package dev.lanes.core.circuit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.circuit.QuantumCircuit.Register;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QasmParserTest {
  private static final String HEADER = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";

  private static QuantumCircuit parse(String body) {
    return QasmParser.parse(HEADER + body);
  }

  private static double param(String expression) {
    QuantumCircuit c = parse("qreg q[1];\nrz(" + expression + ") q[0];\n");
    return ((Op.Gate) c.ops().get(0)).param(0);
  }

  // simulator
  @Test
  void parsesBellProgramIntoFlatOps() {
    QuantumCircuit c =
        parse("// a Bell pair\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n");
    assertEquals(2, c.numQubits());
    assertEquals(2, c.numClbits());
    assertEquals(
        List.of(
            new Op.Gate("h", new int[] {0}, new double[0]),
            new Op.Gate("cx", new int[] {0, 1}, new double[0]),
            new Op.Measure(0, 0),
            new Op.Measure(1, 1)),
        c.ops());
    assertEquals(List.of(new Register("q", 2, 0)), c.qregs());
    assertEquals(List.of(new Register("c", 2, 0)), c.cregs());
    assertEquals(3, c.depth());
  }

  // simulator
  @Test
  void flattensSeveralRegistersInDeclarationOrder() {
    QuantumCircuit c = parse("qreg a[2];\ncreg m[1];\nqreg b[3];\ncreg n[2];\nx b[1];\n"
        + "measure b[2] -> n[1];\n");
    assertEquals(5, c.numQubits());
    assertEquals(3, c.numClbits());
    assertEquals(List.of(new Register("a", 2, 0), new Register("b", 3, 2)), c.qregs());
    assertEquals(List.of(new Register("m", 1, 0), new Register("n", 2, 1)), c.cregs());
    assertEquals(new Op.Gate("x", new int[] {3}, new double[0]), c.ops().get(0));
    assertEquals(new Op.Measure(4, 2), c.ops().get(1));
  }

  // simulator
  @Test
  void broadcastsGatesOverWholeRegisters() {
    QuantumCircuit c = parse("qreg q[3];\nqreg r[3];\nh q;\ncx q, r;\ncx q[0], r;\nreset r;\n");
    List<Op> ops = c.ops();
    assertEquals(3 + 3 + 3 + 3, ops.size());
    assertEquals(new Op.Gate("h", new int[] {2}, new double[0]), ops.get(2));
    assertEquals(new Op.Gate("cx", new int[] {1, 4}, new double[0]), ops.get(4));
    assertEquals(new Op.Gate("cx", new int[] {0, 5}, new double[0]), ops.get(8));
    assertEquals(new Op.Reset(3), ops.get(9));
  }

  // simulator
  @Test
  void acceptsEveryListedGateAndTheBuiltIns() {
    QuantumCircuit c = parse("qreg q[2];\nh q[0]; x q[0]; y q[0]; z q[0]; s q[0]; sdg q[0];\n"
        + "t q[0]; tdg q[0]; id q[0]; rx(1) q[0]; ry(1) q[0]; rz(1) q[0]; p(1) q[0];\n"
        + "u1(1) q[0]; u2(1,2) q[0]; u3(1,2,3) q[0]; u(1,2,3) q[0]; U(1,2,3) q[0];\n"
        + "cx q[0],q[1]; CX q[1],q[0]; cz q[0],q[1]; swap q[0],q[1];\n");
    assertEquals(22, c.ops().size());
    assertEquals("u", ((Op.Gate) c.ops().get(17)).name());
    assertArrayEquals(new int[] {1, 0}, ((Op.Gate) c.ops().get(19)).qubits());
    assertEquals("cx", ((Op.Gate) c.ops().get(19)).name());
  }

  // simulator
  @Test
  void evaluatesParameterExpressions() {
    assertEquals(Math.PI / 2, param("pi/2"), 1e-15);
    assertEquals(0.001, param("1e-3"), 1e-18);
    assertEquals(7, param("1+2*3"), 0);
    assertEquals(9, param("(1+2)*3"), 0);
    assertEquals(-Math.PI, param("-pi"), 0);
    assertEquals(1, param("- -1"), 0);
    assertEquals(0.5, param(".5"), 0);
    assertEquals(2.5e2, param("2.5E+2"), 0);
    assertEquals(1, param("sin(pi/2)"), 1e-15);
    assertEquals(1, param("cos(0) * exp(0)"), 0);
    assertEquals(1, param("tan(pi/4)"), 1e-15);
    assertEquals(2, param("ln(exp(2))"), 1e-15);
    assertEquals(3, param("sqrt(9)"), 0);
    assertEquals(8, param("2^3"), 0);
    assertEquals(2, param("8/2/2"), 0);
    assertEquals(-1, param("1-1-1"), 0);
  }

  // simulator
  @Test
  void depthCountsGatesMeasuresAndResetsButNotBarriers() {
    QuantumCircuit c = parse("qreg q[3];\ncreg c[1];\nh q[0];\nbarrier q;\nx q[1];\n"
        + "cx q[0],q[1];\nreset q[2];\nmeasure q[1] -> c[0];\nmeasure q[0] -> c[0];\n");
    // h/x, cx, measure q1, then measure q0 waits for clbit c[0]: 4.
    assertEquals(4, c.depth());
    assertEquals(0, parse("qreg q[2];\nbarrier q[0], q;\n").depth());
  }

  // R4
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock = """
          qreg q[1];\\nfoo q[0];                       | 4 | unknown gate 'foo'
          qreg q[1];\\ngate g a { x a; }               | 4 | custom gate definitions
          qreg q[1];\\nopaque g a;                     | 4 | opaque
          qreg q[1];\\ncreg c[1];\\nif(c==1) x q[0];    | 5 | conditioned
          h q[0];                                     | 3 | undeclared register 'q'
          qreg q[2];\\nx q[2];                         | 4 | index 2 out of range for register 'q'
          qreg q[2];\\nrx q[0];                        | 4 | takes 1 parameter but got 0
          qreg q[2];\\nh(1) q[0];                      | 4 | takes 0 parameters but got 1
          qreg q[2];\\ncx q[0];                        | 4 | takes 2 qubits but got 1
          qreg q[2];\\nh q[0]\\nh q[1];                 | 4 | missing ';'
          qreg q[2];\\ncx q[1], q[1];                  | 4 | qubit q[1] used twice
          qreg q[2];\\ncx q, q;                        | 4 | qubit q[0] used twice
          qreg q[2];\\nqreg r[3];\\ncx q, r;            | 5 | differ in size
          qreg q[2];\\ncreg c[3];\\nmeasure q -> c;     | 5 | equal size
          qreg q[2];\\ncreg c[2];\\nmeasure q -> c[0];  | 5 | equal size
          qreg q[2];\\ncreg c[2];\\nh c[0];             | 5 | 'c' is a classical register
          qreg q[2];\\ncreg c[2];\\nmeasure q -> q;     | 5 | 'q' is a quantum register
          qreg q[2];\\nqreg q[1];                      | 4 | already declared
          qreg q[0];                                  | 3 | register size must be between
          qreg q[99999999999999999999];               | 3 | too large
          qreg q[1.5];                                | 3 | expected an integer
          qreg q[1];\\nrx(1/0) q[0];                   | 4 | finite
          qreg q[1];\\nrx(ln(-1)) q[0];                | 4 | finite
          qreg q[1];\\nrx(theta) q[0];                 | 4 | unknown identifier 'theta'
          qreg q[1];\\nrx(1 q[0];                      | 4 | expected ')'
          qreg q[1];\\nrx(1,) q[0];                    | 4 | expected a number
          qreg q[1];\\nx q[0]; @                       | 4 | unexpected character '@'
          qreg q[1];\\n;                               | 4 | expected a statement
          qreg q[1];\\nx q[0];\\nOPENQASM 2.0;          | 5 | only appear once
          qreg q[1];\\nmeasure q[0];                   | 4 | expected '->'
          qreg q[1];\\nbarrier;                        | 4 | expected a qubit
          """)
  void rejectsBadProgramsWithLineAndReason(String body, int line, String reason) {
    QasmException e =
        assertThrows(QasmException.class, () -> parse(body.replace("\\n", "\n")));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  // R4
  @Test
  void unknownGateMessageIsExact() {
    QasmException e = assertThrows(QasmException.class, () -> parse("qreg q[1];\nfoo q[0];"));
    assertEquals("line 4: unknown gate 'foo'", e.getMessage());
  }

  // R4
  @Test
  void requiresTheVersionTwoHeaderAndOnlyQelib() {
    assertThrows(QasmException.class, () -> QasmParser.parse("qreg q[1];"));
    assertThrows(QasmException.class, () -> QasmParser.parse(""));
    assertThrows(QasmException.class, () -> QasmParser.parse("OPENQASM 3.0;\nqubit q;"));
    assertThrows(QasmException.class, () -> QasmParser.parse("OPENQASM 2.0"));
    assertThrows(
        QasmException.class, () -> QasmParser.parse("OPENQASM 2.0;\ninclude \"stdgates.inc\";"));
    assertThrows(QasmException.class, () -> QasmParser.parse("OPENQASM 2.0;\ninclude \"qelib1"));
    assertThrows(QasmException.class, () -> QasmParser.parse(null));
    assertEquals(0, QasmParser.parse("OPENQASM 2.0;").numQubits());
  }

  // R4
  @Test
  void capsParenthesisNestingWithoutOverflowingTheStack() {
    String ok = "(".repeat(ExpressionParser.MAX_NESTING) + "1" + ")".repeat(64);
    assertEquals(1, param(ok), 0);
    String tooDeep = "(".repeat(65) + "1" + ")".repeat(65);
    QasmException e = assertThrows(QasmException.class, () -> param(tooDeep));
    assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
    assertThrows(QasmException.class, () -> param("(".repeat(200_000) + "1"));
    assertThrows(QasmException.class, () -> param("-".repeat(200_000) + "1"));
    assertThrows(QasmException.class, () -> param("sin(".repeat(200_000) + "1"));
    assertThrows(QasmException.class, () -> param("2^".repeat(200_000) + "1"));
  }

  // R4
  @Test
  void capsDeclaredBitsAndOperations() {
    assertThrows(QasmException.class, () -> parse("qreg a[65536];\nqreg b[1];\n"));
    String flood = "qreg q[60000];\n" + "h q;\n".repeat(20);
    QasmException e = assertThrows(QasmException.class, () -> parse(flood));
    assertTrue(e.getMessage().contains("operations"), e.getMessage());
  }

  // R4
  @Test
  void barrierAcceptsAnyQubitArguments() {
    QuantumCircuit c = parse("qreg q[3];\nqreg r[1];\nbarrier q[1], q, r;\n");
    assertArrayEquals(new int[] {1, 0, 2, 3}, ((Op.Barrier) c.ops().get(0)).qubits());
  }

  // R4
  @Test
  void errorMessagesStayShortForHugeTokens() {
    String name = "g".repeat(100_000);
    QasmException e = assertThrows(QasmException.class, () -> parse("qreg q[1];\n" + name + " q;"));
    assertTrue(e.getMessage().length() < 100, e.getMessage());
  }

  // simulator
  @Test
  void circuitsAreImmutableAndValidated() {
    int[] qubits = {0, 1};
    Op.Gate cx = new Op.Gate("cx", qubits, new double[0]);
    qubits[0] = 5;
    cx.qubits()[1] = 7;
    assertArrayEquals(new int[] {0, 1}, cx.qubits());
    assertThrows(IllegalArgumentException.class, () -> new Op.Gate("cx", new int[] {1, 1},
        new double[0]));
    assertThrows(IllegalArgumentException.class, () -> new QuantumCircuit(1, 0, List.of(cx),
        List.of(), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new QuantumCircuit(2, 1,
        List.of(new Op.Measure(0, 1)), List.of(), List.of()));
    QuantumCircuit c = new QuantumCircuit(2, 0, List.of(cx), List.of(), List.of());
    assertThrows(UnsupportedOperationException.class, () -> c.ops().add(cx));
  }
}
