package dev.lanes.core.model;

import java.util.List;

/**
 * What the timing model and the limits need to know of a job: its circuits' sizes and shots.
 *
 * @param circuits number of circuits after expanding descriptors (n circuits per PUB)
 * @param totalShots Σ circuits × shots
 * @param largestQubitLayers qubits × depth of the largest circuit
 * @param totalShotLayers Σ shots × depth (for the per-layer shot time)
 * @param maxQubits width of the widest circuit
 */
public record JobShape(
    long circuits, long totalShots, long largestQubitLayers, long totalShotLayers, int maxQubits) {

  public static JobShape of(List<Pub> pubs) {
    long circuits = 0, shots = 0, largest = 0, shotLayers = 0;
    int maxQubits = 0;
    for (Pub pub : pubs) {
      CircuitSize size = pub.circuit().size();
      long n = saturatingMul(pub.circuit().count(), Math.max(1, pub.parameterSets()));
      circuits = saturatingAdd(circuits, n);
      shots = saturatingAdd(shots, saturatingMul(n, pub.shots()));
      shotLayers = saturatingAdd(shotLayers, saturatingMul(saturatingMul(n, pub.shots()), size.depth()));
      largest = Math.max(largest, saturatingMul(size.qubits(), size.depth()));
      maxQubits = Math.max(maxQubits, size.qubits());
    }
    return new JobShape(circuits, shots, largest, shotLayers, maxQubits);
  }

  /** Executions as the limits count them (R4): circuits × shots. */
  public long executions() {
    return totalShots;
  }

  static long saturatingAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  static long saturatingMul(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
  }
}
