package dev.lanes.core.circuit;

/**
 * Single-qubit gate matrices in Qiskit's conventions. A matrix [[a, b], [c, d]] is stored as
 * {@code {a.re, a.im, b.re, b.im, c.re, c.im, d.re, d.im}} to keep the simulator's inner loop
 * free of objects.
 */
final class GateMatrices {
  private static final double R = Math.sqrt(0.5);

  private GateMatrices() {}

  /** The matrix of a one-qubit gate, or null if {@code name} is not one. */
  static double[] of(String name, double[] p) {
    switch (name) {
      case "id":
        return diag(0);
      case "h":
        return new double[] {R, 0, R, 0, R, 0, -R, 0};
      case "x":
        return new double[] {0, 0, 1, 0, 1, 0, 0, 0};
      case "y":
        return new double[] {0, 0, 0, -1, 0, 1, 0, 0};
      case "z":
        return diag(Math.PI);
      case "s":
        return diag(Math.PI / 2);
      case "sdg":
        return diag(-Math.PI / 2);
      case "t":
        return diag(Math.PI / 4);
      case "tdg":
        return diag(-Math.PI / 4);
      case "p":
      case "u1":
        return diag(p[0]);
      case "rx":
        return rx(p[0]);
      case "ry":
        return u3(p[0], 0, 0);
      case "rz":
        return rz(p[0]);
      case "u2":
        return u3(Math.PI / 2, p[0], p[1]);
      case "u3":
      case "u":
        return u3(p[0], p[1], p[2]);
      default:
        return null;
    }
  }

  /** diag(1, e^{iλ}); exact for z, s and sdg where cos and sin give 1e-16 residues. */
  private static double[] diag(double lambda) {
    double re = Math.cos(lambda);
    double im = Math.sin(lambda);
    if (lambda == Math.PI) {
      re = -1;
      im = 0;
    } else if (Math.abs(lambda) == Math.PI / 2) {
      re = 0;
      im = Math.signum(lambda);
    }
    return new double[] {1, 0, 0, 0, 0, 0, re, im};
  }

  private static double[] rx(double theta) {
    double c = Math.cos(theta / 2);
    double s = Math.sin(theta / 2);
    return new double[] {c, 0, 0, -s, 0, -s, c, 0};
  }

  private static double[] rz(double theta) {
    double c = Math.cos(theta / 2);
    double s = Math.sin(theta / 2);
    return new double[] {c, -s, 0, 0, 0, 0, c, s};
  }

  private static double[] u3(double theta, double phi, double lambda) {
    double c = Math.cos(theta / 2);
    double s = Math.sin(theta / 2);
    return new double[] {
      c, 0,
      -Math.cos(lambda) * s, -Math.sin(lambda) * s,
      Math.cos(phi) * s, Math.sin(phi) * s,
      Math.cos(phi + lambda) * c, Math.sin(phi + lambda) * c
    };
  }

  /** m2 · m1: the single gate equal to applying m1 and then m2. */
  static double[] multiply(double[] m2, double[] m1) {
    double[] out = new double[8];
    for (int row = 0; row < 2; row++) {
      for (int col = 0; col < 2; col++) {
        double re = 0;
        double im = 0;
        for (int k = 0; k < 2; k++) {
          int a = 4 * row + 2 * k;
          int b = 4 * k + 2 * col;
          re += m2[a] * m1[b] - m2[a + 1] * m1[b + 1];
          im += m2[a] * m1[b + 1] + m2[a + 1] * m1[b];
        }
        out[4 * row + 2 * col] = re;
        out[4 * row + 2 * col + 1] = im;
      }
    }
    return out;
  }
}
