package dev.lanes.core.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.circuit.StateVector.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SimulatorProperties {
  private static final String[] ONE_QUBIT = {"h", "x", "y", "z", "s", "sdg", "t", "tdg", "id"};
  private static final String[] ROTATIONS = {"rx", "ry", "rz", "p", "u1"};
  private static final String[] TWO_QUBIT = {"cx", "CX", "cz", "swap"};
  private static final String[] TOKENS = {
    ";", ",", "[", "]", "(", ")", "->", "==", "\"", "//", "\n", " ", "pi", "q", "c", "qreg",
    "creg", "measure", "reset", "barrier", "gate", "if", "u3", "cx", "h", "-", "*", "/", "^",
    "1e", "1e-3", ".", "0", "99999999999", "sqrt", "(((((", ")))))", "OPENQASM 2.0;"
  };

  // simulator
  @Property(tries = 300)
  void countsAlwaysSumToShots(
      @ForAll("programs") String program,
      @ForAll @IntRange(min = 1, max = 500) int shots,
      @ForAll long seed) {
    QuantumCircuit c = QasmParser.parse(program);
    Map<String, Long> counts = StateVectorSimulator.sample(c, shots, seed);
    assertEquals(shots, counts.values().stream().mapToLong(Long::longValue).sum());
    for (String key : counts.keySet()) {
      assertTrue(key.matches("[01]{" + c.numClbits() + "}"), key);
    }
    Map<String, Map<String, Long>> byRegister = StateVectorSimulator.sampleByRegister(c, shots, seed);
    for (QuantumCircuit.Register r : c.cregs()) {
      Map<String, Long> part = byRegister.get(r.name());
      assertEquals(shots, part.values().stream().mapToLong(Long::longValue).sum());
      part.keySet().forEach(key -> assertEquals(r.size(), key.length()));
    }
  }

  // simulator
  @Property(tries = 200)
  void sameSeedGivesSameCounts(@ForAll("programs") String program, @ForAll long seed) {
    QuantumCircuit c = QasmParser.parse(program);
    assertEquals(StateVectorSimulator.sample(c, 200, seed), StateVectorSimulator.sample(c, 200, seed));
  }

  // simulator
  @Property(tries = 300)
  void fusedKernelsMatchANaiveReference(@ForAll("unitaryPrograms") String program) {
    QuantumCircuit c = QasmParser.parse(program);
    List<Op.Gate> gates = new ArrayList<>();
    for (Op op : c.ops()) {
      if (op instanceof Op.Gate g) {
        gates.add(g);
      }
    }
    StateVector fast = new StateVector(c.numQubits());
    GateFusion.fuse(gates, c.numQubits()).forEach(fast::apply);
    double[][] slow = NaiveSimulator.run(gates, c.numQubits());
    for (int i = 0; i < slow[0].length; i++) {
      assertEquals(slow[0][i], fast.re[i], 1e-9, "re at " + i);
      assertEquals(slow[1][i], fast.im[i], 1e-9, "im at " + i);
    }
  }

  // R4
  @Property(tries = 2000)
  void arbitraryStringsOnlyEverFailWithQasmException(@ForAll String source) {
    parseOrRefuse(source);
  }

  // R4
  @Property(tries = 2000)
  void tokenSoupOnlyEverFailsWithQasmException(@ForAll("tokenSoup") String source) {
    parseOrRefuse("OPENQASM 2.0;\nqreg q[3];\ncreg c[3];\n" + source);
  }

  // R4
  @Property(tries = 2000)
  void mutatedProgramsOnlyEverFailWithQasmException(@ForAll("mutatedPrograms") String source) {
    QuantumCircuit c = parseOrRefuse(source);
    // What still parses must also simulate without surprises.
    if (c != null && c.numQubits() <= 8 && c.ops().size() <= 200) {
      Map<String, Long> counts = StateVectorSimulator.sample(c, 50, 1);
      assertEquals(50, counts.values().stream().mapToLong(Long::longValue).sum());
    }
  }

  private static QuantumCircuit parseOrRefuse(String source) {
    try {
      return QasmParser.parse(source);
    } catch (QasmException e) {
      assertTrue(e.getMessage().matches("(?s)line \\d+: .+"), e.getMessage());
      return null;
    }
  }

  @Provide
  Arbitrary<String> programs() {
    return program(true);
  }

  @Provide
  Arbitrary<String> unitaryPrograms() {
    return program(false);
  }

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(40).map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<String> mutatedPrograms() {
    Arbitrary<int[]> mutation = Arbitraries.integers().between(0, 3).flatMap(kind ->
        Arbitraries.integers().between(0, 10_000).flatMap(at ->
            Arbitraries.integers().between(0, TOKENS.length - 1).map(t -> new int[] {kind, at, t})));
    return Combinators.combine(program(true), mutation.list().ofMinSize(1).ofMaxSize(4))
        .as(SimulatorProperties::mutate);
  }

  private static String mutate(String program, List<int[]> mutations) {
    StringBuilder s = new StringBuilder(program);
    for (int[] m : mutations) {
      int at = m[1] % (s.length() + 1);
      switch (m[0]) {
        case 0 -> s.delete(at, Math.min(s.length(), at + 1 + m[2] % 4));
        case 1 -> s.insert(at, TOKENS[m[2]]);
        case 2 -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + m[2])));
        default -> s.setCharAt(Math.min(at, s.length() - 1), (char) (' ' + m[2] * 7 % 95));
      }
    }
    return s.toString();
  }

  /** Valid programs on up to 5 qubits in a qreg q and clbits in two cregs c and d. */
  private static Arbitrary<String> program(boolean withMeasurements) {
    return Arbitraries.integers().between(1, 5).flatMap(n ->
        Arbitraries.integers().between(1, 3).flatMap(m ->
            statement(n, m, withMeasurements).list().ofMaxSize(25).map(body ->
                "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[" + n + "];\ncreg c[" + m
                    + "];\ncreg d[1];\n" + String.join("", body))));
  }

  private static Arbitrary<String> statement(int n, int m, boolean withMeasurements) {
    Arbitrary<Integer> qubit = Arbitraries.integers().between(0, n - 1);
    Arbitrary<String> angle = Arbitraries.doubles().between(-7, 7).map(a ->
        String.format(Locale.ROOT, "%.6f", a));
    List<Arbitrary<? extends String>> choices = new ArrayList<>();
    choices.add(Combinators.combine(Arbitraries.of(ONE_QUBIT), qubit)
        .as((g, q) -> g + " q[" + q + "];\n"));
    choices.add(Combinators.combine(Arbitraries.of(ROTATIONS), angle, qubit)
        .as((g, a, q) -> g + "(" + a + ") q[" + q + "];\n"));
    choices.add(Combinators.combine(angle, angle, angle, qubit)
        .as((a, b, c, q) -> "u3(" + a + ", " + b + ", " + c + ") q[" + q + "];\n"));
    choices.add(Combinators.combine(angle, angle, qubit)
        .as((a, b, q) -> "u2(" + a + "," + b + ") q[" + q + "];\n"));
    choices.add(Arbitraries.of("h q;\n", "x q;\n", "rz(pi/3) q;\n", "barrier q;\n"));
    if (n > 1) {
      Arbitrary<Integer> offset = Arbitraries.integers().between(1, n - 1);
      choices.add(Combinators.combine(Arbitraries.of(TWO_QUBIT), qubit, offset)
          .as((g, a, o) -> g + " q[" + a + "], q[" + (a + o) % n + "];\n"));
    }
    if (withMeasurements) {
      Arbitrary<Integer> clbit = Arbitraries.integers().between(0, m);
      choices.add(Combinators.combine(qubit, clbit).as((q, k) ->
          "measure q[" + q + "] -> " + (k == m ? "d[0]" : "c[" + k + "]") + ";\n"));
      choices.add(qubit.map(q -> "reset q[" + q + "];\n"));
    }
    return Arbitraries.oneOf(choices);
  }

  /** Applies gates one by one with full-length loops, as the textbook defines them. */
  static final class NaiveSimulator {
    static double[][] run(List<Op.Gate> gates, int n) {
      double[] re = new double[1 << n];
      double[] im = new double[1 << n];
      re[0] = 1;
      for (Op.Gate g : gates) {
        double[] nr = new double[re.length];
        double[] ni = new double[im.length];
        for (int i = 0; i < re.length; i++) {
          int j = target(g, i);
          if (j >= 0) {
            nr[j] += re[i] * sign(g, i);
            ni[j] += im[i] * sign(g, i);
          } else {
            double[] u = GateMatrices.of(g.name(), g.params());
            int bit = 1 << g.qubit(0);
            int col = (i & bit) == 0 ? 0 : 1;
            for (int row = 0; row < 2; row++) {
              int k = row == 0 ? i & ~bit : i | bit;
              double ur = u[4 * row + 2 * col];
              double ui = u[4 * row + 2 * col + 1];
              nr[k] += ur * re[i] - ui * im[i];
              ni[k] += ur * im[i] + ui * re[i];
            }
          }
        }
        re = nr;
        im = ni;
      }
      return new double[][] {re, im};
    }

    /** Where a two-qubit gate sends basis state i, or -1 for one-qubit gates. */
    private static int target(Op.Gate g, int i) {
      if (g.arity() == 1) {
        return -1;
      }
      int a = (i >> g.qubit(0)) & 1;
      int b = (i >> g.qubit(1)) & 1;
      switch (g.name()) {
        case "cx":
          return a == 1 ? i ^ (1 << g.qubit(1)) : i;
        case "swap":
          return a == b ? i : i ^ (1 << g.qubit(0)) ^ (1 << g.qubit(1));
        default:
          return i;
      }
    }

    private static double sign(Op.Gate g, int i) {
      boolean both = ((i >> g.qubit(0)) & 1) == 1 && ((i >> g.qubit(1)) & 1) == 1;
      return g.name().equals("cz") && both ? -1 : 1;
    }
  }
}
