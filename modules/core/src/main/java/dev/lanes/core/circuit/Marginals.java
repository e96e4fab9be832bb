package dev.lanes.core.circuit;

/** The distribution of the measured qubits alone, and draws from it. */
final class Marginals {
  private static final int HALF = 12;

  private Marginals() {}

  /**
   * Cumulative probabilities over the 2^m outcomes of the measured qubits, where bit {@code
   * position[q]} of an outcome is qubit q ({@code position[q] < 0} for unmeasured qubits).
   */
  static double[] cumulative(StateVector state, int[] position, int measuredCount) {
    // Gathering a basis index's measured bits is done with two 12-bit lookup tables (a software
    // PEXT), keeping the pass over 2^n amplitudes at two loads per amplitude.
    int[] low = gatherTable(position, 0);
    int[] high = gatherTable(position, HALF);
    double[] cumulative = new double[1 << measuredCount];
    double[] re = state.re;
    double[] im = state.im;
    int mask = (1 << HALF) - 1;
    for (int i = 0; i < re.length; i++) {
      cumulative[low[i & mask] | high[i >>> HALF]] += re[i] * re[i] + im[i] * im[i];
    }
    for (int k = 1; k < cumulative.length; k++) {
      cumulative[k] += cumulative[k - 1];
    }
    return cumulative;
  }

  private static int[] gatherTable(int[] position, int shift) {
    int width = Math.max(0, Math.min(HALF, position.length - shift));
    int[] table = new int[1 << width];
    for (int x = 0; x < table.length; x++) {
      for (int b = 0; b < width; b++) {
        int p = position[shift + b];
        if (p >= 0 && ((x >>> b) & 1) != 0) {
          table[x] |= 1 << p;
        }
      }
    }
    return table;
  }

  /** The first outcome whose cumulative probability exceeds u, so zero-weight ones are skipped. */
  static int search(double[] cumulative, double u) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
