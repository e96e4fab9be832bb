package dev.lanes.core.model;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class JobShapeProperties {
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Huge sizes, but at most one parameter set (the saturating paths of JobShape). */
  @Provide
  Arbitrary<Pub> hugePubs() {
    Arbitrary<Integer> ints = Arbitraries.integers().between(0, Integer.MAX_VALUE)
        .edgeCases(c -> c.add(Integer.MAX_VALUE));
    Arbitrary<Long> counts = Arbitraries.longs().between(1, Long.MAX_VALUE)
        .edgeCases(c -> c.add(Long.MAX_VALUE));
    return Combinators.combine(ints, ints, counts, ints, Arbitraries.integers().between(0, 1))
        .as((q, d, n, shots, sets) -> new Pub(new CircuitSpec.Descriptor(q, d, n), shots, sets));
  }

  /** Sizes the API can produce (PubParser bounds): circuits ≤ 1e7, many parameter sets. */
  @Provide
  Arbitrary<Pub> boundedPubs() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 1_000_000),
            Arbitraries.integers().between(1, 100_000_000),
            Arbitraries.longs().between(1, 10_000_000),
            Arbitraries.integers().between(1, 10_000_000),
            Arbitraries.integers().between(0, 1_000_000))
        .as((q, d, n, shots, sets) -> new Pub(new CircuitSpec.Descriptor(q, d, n), shots, sets));
  }

  // R4: saturating arithmetic never overflows to negative, and equals min(exact, Long.MAX_VALUE)
  @Property(tries = 500)
  void hugeShapesSaturateExactly(@ForAll @Size(max = 6) List<@From("hugePubs") Pub> pubs) {
    checkExact(pubs);
  }

  // R3, R4: within what the API accepts, the shape is exact and non-negative
  @Property(tries = 500)
  void boundedShapesAreExact(@ForAll @Size(max = 6) List<@From("boundedPubs") Pub> pubs) {
    checkExact(pubs);
  }

  private static void checkExact(List<Pub> pubs) {
    BigInteger circuits = BigInteger.ZERO, shots = BigInteger.ZERO, layers = BigInteger.ZERO;
    BigInteger largest = BigInteger.ZERO;
    int maxQubits = 0;
    for (Pub p : pubs) {
      BigInteger n = BigInteger.valueOf(p.circuit().count())
          .multiply(BigInteger.valueOf(Math.max(1, p.parameterSets())));
      BigInteger s = n.multiply(BigInteger.valueOf(p.shots()));
      CircuitSize size = p.circuit().size();
      circuits = circuits.add(n);
      shots = shots.add(s);
      layers = layers.add(s.multiply(BigInteger.valueOf(size.depth())));
      largest = largest.max(BigInteger.valueOf(size.qubits()).multiply(BigInteger.valueOf(size.depth())));
      maxQubits = Math.max(maxQubits, size.qubits());
    }
    JobShape shape = JobShape.of(pubs);
    check("circuits", circuits, shape.circuits());
    check("totalShots", shots, shape.totalShots());
    check("totalShotLayers", layers, shape.totalShotLayers());
    check("largestQubitLayers", largest, shape.largestQubitLayers());
    if (maxQubits != shape.maxQubits()) {
      throw new AssertionError("maxQubits " + shape.maxQubits() + " != " + maxQubits);
    }
    if (shape.executions() != shape.totalShots()) {
      throw new AssertionError("executions must equal totalShots");
    }
  }

  private static void check(String what, BigInteger exact, long actual) {
    if (actual < 0) {
      throw new AssertionError(what + " overflowed to negative: " + actual);
    }
    long expected = exact.min(MAX).longValueExact();
    if (actual != expected) {
      throw new AssertionError(what + " = " + actual + ", expected " + expected + " (exact " + exact + ")");
    }
  }
}
