package dev.lanes.core.circuit;

import java.util.SplittableRandom;

/**
 * The amplitudes of an n-qubit state as two parallel arrays; qubit 0 is the least significant bit
 * of the basis index, as in Qiskit.
 */
final class StateVector {
  final int numQubits;
  final double[] re;
  final double[] im;

  /** |0…0⟩. */
  StateVector(int numQubits) {
    this.numQubits = numQubits;
    this.re = new double[1 << numQubits];
    this.im = new double[1 << numQubits];
    re[0] = 1;
  }

  void copyFrom(StateVector other) {
    System.arraycopy(other.re, 0, re, 0, re.length);
    System.arraycopy(other.im, 0, im, 0, im.length);
  }

  void apply(Op.Gate g) {
    switch (g.name()) {
      case "cx" -> cx(g.qubit(0), g.qubit(1));
      case "cz" -> cz(g.qubit(0), g.qubit(1));
      case "swap" -> swap(g.qubit(0), g.qubit(1));
      case "id" -> { }
      default -> apply1(g.qubit(0), GateMatrices.of(g.name(), g.params()));
    }
  }

  /** Applies the 2×2 matrix m (layout of {@link GateMatrices}) to qubit q. */
  void apply1(int q, double[] m) {
    if (m[2] == 0 && m[3] == 0 && m[4] == 0 && m[5] == 0) {
      diagonal(q, m[0], m[1], m[6], m[7]);
      return;
    }
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

  private void diagonal(int q, double ar, double ai, double dr, double di) {
    int bit = 1 << q;
    boolean touchZero = ar != 1 || ai != 0; // phase gates leave the |0⟩ half alone
    for (int i = 0; i < re.length; i++) {
      if ((i & bit) != 0) {
        scale(i, dr, di);
      } else if (touchZero) {
        scale(i, ar, ai);
      }
    }
  }

  private void scale(int i, double sr, double si) {
    double xr = re[i];
    re[i] = sr * xr - si * im[i];
    im[i] = sr * im[i] + si * xr;
  }

  private void cx(int control, int target) {
    int c = 1 << control;
    int t = 1 << target;
    for (int i = 0; i < re.length; i++) {
      if ((i & c) != 0 && (i & t) == 0) {
        exchange(i, i | t);
      }
    }
  }

  private void cz(int a, int b) {
    int both = (1 << a) | (1 << b);
    for (int i = 0; i < re.length; i++) {
      if ((i & both) == both) {
        re[i] = -re[i];
        im[i] = -im[i];
      }
    }
  }

  private void swap(int a, int b) {
    int x = 1 << a;
    int y = 1 << b;
    for (int i = 0; i < re.length; i++) {
      if ((i & x) != 0 && (i & y) == 0) {
        exchange(i, i ^ x ^ y);
      }
    }
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
      int bit = 1 << q;
      for (int i = 0; i < re.length; i++) {
        if ((i & bit) != 0) {
          exchange(i, i ^ bit);
        }
      }
    }
  }
}
