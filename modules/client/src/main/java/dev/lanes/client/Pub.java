package dev.lanes.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One PUB of a job (api.md "PUBs"): an OpenQASM 2 circuit, or a timing-only descriptor standing
 * for {@code circuits} circuits of a size; shots default to the job's, then the backend's.
 */
public record Pub(String qasm, Integer numQubits, Integer depth, Integer circuits, Integer shots) {

  public Pub {
    if ((qasm == null) == (numQubits == null)) {
      throw new IllegalArgumentException("a PUB is an OpenQASM circuit or a descriptor, not both or neither");
    }
  }

  /** A PUB of one OpenQASM 2 circuit, simulated for real on the built-in backends. */
  public static Pub qasm(String source) {
    return new Pub(Objects.requireNonNull(source, "source"), null, null, null, null);
  }

  /** A timing-only PUB: {@code circuits} circuits of {@code numQubits} × {@code depth}. */
  public static Pub descriptor(int numQubits, int depth, int circuits) {
    return new Pub(null, numQubits, depth, circuits, null);
  }

  /** The same PUB with its own shot count. */
  public Pub withShots(int shots) {
    return new Pub(qasm, numQubits, depth, circuits, shots);
  }

  ObjectNode toJson() {
    ObjectNode pub = JsonNodeFactory.instance.objectNode();
    if (qasm != null) {
      pub.put("circuit", qasm);
    } else {
      pub.putObject("circuit").put("num_qubits", numQubits).put("depth", depth).put("circuits", circuits);
    }
    if (shots != null) {
      pub.put("shots", shots);
    }
    return pub;
  }
}
