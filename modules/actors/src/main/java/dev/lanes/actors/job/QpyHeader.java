package dev.lanes.actors.job;

import dev.lanes.core.model.CircuitSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Best-effort size of a QPY-encoded circuit (the public client's {@code QuantumCircuit} payload):
 * read from the circuit header where the layout is recognised, else estimated from the length.
 * Only timing depends on it; the circuit itself is never simulated.
 */
final class QpyHeader {
  private QpyHeader() {}

  static CircuitSpec.Opaque size(byte[] qpy) {
    try {
      ByteBuffer b = ByteBuffer.wrap(qpy);
      byte[] magic = new byte[6];
      b.get(magic);
      if (!"QISKIT".equals(new String(magic, StandardCharsets.US_ASCII))) {
        return estimate(qpy.length);
      }
      int version = b.get() & 0xff;
      b.position(b.position() + 3 + 8); // qiskit version (3 bytes), number of programs (u64)
      if (version >= 10) {
        b.get(); // symbolic encoding
      }
      b.getShort(); // name size
      b.get(); // global phase type
      b.getShort(); // global phase size
      long qubits = Integer.toUnsignedLong(b.getInt());
      b.getInt(); // clbits
      b.getLong(); // metadata size
      b.getInt(); // registers
      long instructions = b.getLong();
      if (qubits < 1 || qubits > 100_000 || instructions < 0 || instructions > 100_000_000) {
        return estimate(qpy.length);
      }
      int depth = (int) Math.max(1, Math.min(1_000_000, instructions / qubits));
      return new CircuitSpec.Opaque((int) qubits, depth);
    } catch (RuntimeException e) {
      return estimate(qpy.length);
    }
  }

  /** Roughly 40 bytes an instruction, spread over 10 qubits: a guess, used only for timing. */
  private static CircuitSpec.Opaque estimate(int bytes) {
    return new CircuitSpec.Opaque(10, Math.max(1, bytes / 400));
  }
}
