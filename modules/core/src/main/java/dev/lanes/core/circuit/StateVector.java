package dev.lanes.core.circuit;

import java.util.SplittableRandom;

/**
 * The amplitudes of an n-qubit state as two parallel arrays; qubit 0 is the least significant bit
 * of the basis index, as in Qiskit.
 */
final class StateVector {
  /**
   * A unitary ready to apply: a 2×2 matrix on qubit {@code a} (layout of {@link GateMatrices}), or
   * cx (control {@code a}), cz or swap on {@code a} and {@code b}.
   */
  record Step(Kind kind, int a, int b, double[] matrix) {
    enum Kind {
      ONE_QUBIT,
      CX,
      CZ,
      SWAP
    }
  }

  final double[] re;
  final double[] im;

  /** |0…0⟩. */
  StateVector(int numQubits) {
    re = new double[1 << numQubits];
    im = new double[1 << numQubits];
    re[0] = 1;
  }

  void copyFrom(StateVector other) {
    System.arraycopy(other.re, 0, re, 0, re.length);
    System.arraycopy(other.im, 0, im, 0, im.length);
  }

  void apply(Step s) {
    switch (s.kind()) {
      case ONE_QUBIT -> apply1(s.a(), s.matrix());
      case CX -> cx(s.a(), s.b());
      case CZ -> cz(s.a(), s.b());
      case SWAP -> swap(s.a(), s.b());
    }
  }

  // The kernels below are specialised by matrix shape because the general one costs 16
  // multiplications per pair of amplitudes, while most gates of real circuits need far fewer.
  private void apply1(int q, double[] m) {
    boolean offDiagonalZero = m[2] == 0 && m[3] == 0 && m[4] == 0 && m[5] == 0;
    boolean diagonalZero = m[0] == 0 && m[1] == 0 && m[6] == 0 && m[7] == 0;
    if (offDiagonalZero) {
      if (m[0] != 1 || m[1] != 0) {
        phase(q, 0, m[0], m[1]);
      }
      if (m[6] != 1 || m[7] != 0) {
        phase(q, 1 << q, m[6], m[7]);
      }
    } else if (diagonalZero && m[2] == 1 && m[3] == 0 && m[4] == 1 && m[5] == 0) {
      flip(q);
    } else if (m[1] == 0 && m[3] == 0 && m[5] == 0 && m[7] == 0) {
      real(q, m[0], m[2], m[4], m[6]);
    } else {
      general(q, m);
    }
  }

  private void general(int q, double[] m) {
    double ar = m[0], ai = m[1], br = m[2], bi = m[3];
    double cr = m[4], ci = m[5], dr = m[6], di = m[7];
    int stride = 1 << q;
    for (int base = 0; base < re.length; base += stride << 1) {
      for (int i = base, end = base + stride; i < end; i++) {
        int j = i + stride;
        double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
        re[i] = ar * xr - ai * xi + br * yr - bi * yi;
        im[i] = ar * xi + ai * xr + br * yi + bi * yr;
        re[j] = cr * xr - ci * xi + dr * yr - di * yi;
        im[j] = cr * xi + ci * xr + dr * yi + di * yr;
      }
    }
  }

  private void real(int q, double a, double b, double c, double d) {
    int stride = 1 << q;
    for (int base = 0; base < re.length; base += stride << 1) {
      for (int i = base, end = base + stride; i < end; i++) {
        int j = i + stride;
        double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
        re[i] = a * xr + b * yr;
        im[i] = a * xi + b * yi;
        re[j] = c * xr + d * yr;
        im[j] = c * xi + d * yi;
      }
    }
  }

  /** Multiplies the amplitudes whose bit q equals {@code half} (0 or 1 << q) by s. */
  private void phase(int q, int half, double sr, double si) {
    int stride = 1 << q;
    for (int base = half; base < re.length; base += stride << 1) {
      for (int i = base, end = base + stride; i < end; i++) {
        double xr = re[i];
        re[i] = sr * xr - si * im[i];
        im[i] = sr * im[i] + si * xr;
      }
    }
  }

  private void flip(int q) {
    int stride = 1 << q;
    for (int base = 0; base < re.length; base += stride << 1) {
      for (int i = base, end = base + stride; i < end; i++) {
        exchange(i, i + stride);
      }
    }
  }

  private void cx(int control, int target) {
    int c = 1 << control;
    int t = 1 << target;
    for (int k = 0, quarter = re.length >> 2; k < quarter; k++) {
      int i = withZeros(k, control, target) | c;
      exchange(i, i | t);
    }
  }

  private void cz(int a, int b) {
    int both = (1 << a) | (1 << b);
    for (int k = 0, quarter = re.length >> 2; k < quarter; k++) {
      int i = withZeros(k, a, b) | both;
      re[i] = -re[i];
      im[i] = -im[i];
    }
  }

  private void swap(int a, int b) {
    for (int k = 0, quarter = re.length >> 2; k < quarter; k++) {
      int i = withZeros(k, a, b);
      exchange(i | (1 << a), i | (1 << b));
    }
  }

  /** The k-th basis index whose bits a and b are both 0. */
  private static int withZeros(int k, int a, int b) {
    int lo = Math.min(a, b);
    int hi = Math.max(a, b);
    k = ((k >>> lo) << (lo + 1)) | (k & ((1 << lo) - 1));
    return ((k >>> hi) << (hi + 1)) | (k & ((1 << hi) - 1));
  }

  private void exchange(int i, int j) {
    double r = re[i];
    double m = im[i];
    re[i] = re[j];
    im[i] = im[j];
    re[j] = r;
    im[j] = m;
  }

  /** Measures qubit q, collapsing and renormalising the state; returns 0 or 1. */
  int measure(int q, SplittableRandom rng) {
    int bit = 1 << q;
    double p0 = 0;
    double p1 = 0;
    for (int i = 0; i < re.length; i++) {
      double p = re[i] * re[i] + im[i] * im[i];
      if ((i & bit) != 0) {
        p1 += p;
      } else {
        p0 += p;
      }
    }
    // Drawing against p0 + p1 rather than 1 never picks a branch whose weight rounded to zero.
    int outcome = rng.nextDouble() * (p0 + p1) < p1 ? 1 : 0;
    double norm = 1 / Math.sqrt(outcome == 1 ? p1 : p0);
    for (int i = 0; i < re.length; i++) {
      boolean kept = ((i & bit) != 0) == (outcome == 1);
      re[i] = kept ? re[i] * norm : 0;
      im[i] = kept ? im[i] * norm : 0;
    }
    return outcome;
  }

  /** Resets qubit q to |0⟩: a measurement followed, on outcome 1, by a flip. */
  void reset(int q, SplittableRandom rng) {
    if (measure(q, rng) == 1) {
      flip(q);
    }
  }
}
