package dev.lanes.actors.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.core.circuit.QasmException;
import dev.lanes.core.circuit.QasmParser;
import dev.lanes.core.circuit.QuantumCircuit;
import dev.lanes.core.circuit.StateVectorSimulator;
import dev.lanes.core.model.CircuitSpec;
import dev.lanes.core.model.Pub;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads {@code params.pubs} (api.md "PUBs") into core PUBs, refusing malformed ones with a 400
 * that names the element (R4). Used at submit, and again by the lane that executes the job.
 */
public final class PubParser {
  static final int MAX_SHOTS = 10_000_000;

  private PubParser() {}

  public static List<Pub> parse(String programId, JsonNode params, int defaultShots) {
    if (params == null || !params.isObject()) {
      throw InvalidJobException.bad("params", "must be an object holding \"pubs\"");
    }
    JsonNode pubs = params.get("pubs");
    if (pubs == null || !pubs.isArray()) {
      throw InvalidJobException.bad("params.pubs", "must be an array of PUBs");
    }
    int shots = defaultShots;
    JsonNode options = params.get("options");
    if (options != null && !options.isNull()) {
      if (!options.isObject()) {
        throw InvalidJobException.bad("params.options", "must be an object");
      }
      JsonNode ds = options.get("default_shots");
      if (ds != null && !ds.isNull()) {
        shots = shots("params.options.default_shots", ds);
      }
    }
    boolean estimator = "estimator".equals(programId);
    List<Pub> out = new ArrayList<>(pubs.size());
    for (int i = 0; i < pubs.size(); i++) {
      out.add(pub("params.pubs[" + i + "]", pubs.get(i), shots, estimator));
    }
    return out;
  }

  private static Pub pub(String field, JsonNode node, int defaultShots, boolean estimator) {
    JsonNode circuit, values, shotsNode;
    if (node.isObject()) {
      circuit = node.get("circuit");
      values = node.get("parameter_values");
      shotsNode = node.get("shots");
    } else if (node.isArray()) {
      // Sampler: [circuit, parameter_values?, shots?]; estimator: [circuit, observables, parameter_values?, precision?]
      circuit = node.get(0);
      values = node.get(estimator ? 2 : 1);
      shotsNode = estimator ? null : node.get(2);
    } else {
      throw InvalidJobException.bad(field, "a PUB must be an object {\"circuit\": …} or an array [circuit, …]");
    }
    if (circuit == null || circuit.isNull()) {
      throw InvalidJobException.bad(field + ".circuit", "is missing");
    }
    int shots = shotsNode == null || shotsNode.isNull() ? defaultShots : shots(field + ".shots", shotsNode);
    return new Pub(circuit(field + ".circuit", circuit), shots, parameterSets(field + ".parameter_values", values));
  }

  private static int shots(String field, JsonNode n) {
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > MAX_SHOTS) {
      throw InvalidJobException.bad(field, "must be an integer from 1 to " + MAX_SHOTS);
    }
    return n.intValue();
  }

  private static int parameterSets(String field, JsonNode values) {
    if (values == null || values.isNull()) {
      return 0;
    }
    if (!values.isArray()) {
      throw InvalidJobException.bad(field, "must be an array of numbers or of arrays of numbers");
    }
    if (values.size() > 0 && values.get(0).isArray()) {
      return values.size();
    }
    return values.size() == 0 ? 0 : 1;
  }

  private static CircuitSpec circuit(String field, JsonNode c) {
    if (c.isTextual()) {
      return qasm(field, c.textValue());
    }
    if (!c.isObject()) {
      throw InvalidJobException.bad(field, "must be an OpenQASM 2 string, a descriptor {num_qubits, depth} or an encoded QuantumCircuit");
    }
    if (c.has("__type__")) {
      if (!"QuantumCircuit".equals(c.path("__type__").asText()) || !c.path("__value__").isTextual()) {
        throw InvalidJobException.bad(field, "only {\"__type__\": \"QuantumCircuit\", \"__value__\": <base64 QPY>} is accepted");
      }
      try {
        return QpyHeader.size(Base64.getDecoder().decode(c.get("__value__").textValue()));
      } catch (IllegalArgumentException e) {
        throw InvalidJobException.bad(field + ".__value__", "is not valid base64");
      }
    }
    int qubits = positive(field + ".num_qubits", c.get("num_qubits"), 1_000_000);
    int depth = positive(field + ".depth", c.get("depth"), 100_000_000);
    JsonNode n = c.get("circuits");
    long circuits = n == null || n.isNull() ? 1 : positive(field + ".circuits", n, 10_000_000);
    return new CircuitSpec.Descriptor(qubits, depth, circuits);
  }

  private static int positive(String field, JsonNode n, int max) {
    if (n == null || n.isNull()) {
      throw InvalidJobException.bad(field, "is missing");
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > max) {
      throw InvalidJobException.bad(field, "must be an integer from 1 to " + max);
    }
    return n.intValue();
  }

  private static CircuitSpec qasm(String field, String source) {
    QuantumCircuit parsed;
    try {
      parsed = QasmParser.parse(source);
    } catch (QasmException e) {
      throw InvalidJobException.bad(field, "OpenQASM does not parse: " + e.getMessage());
    }
    if (parsed.numQubits() > StateVectorSimulator.MAX_QUBITS) {
      throw InvalidJobException.bad(field, "circuit has " + parsed.numQubits()
          + " qubits; the simulator's limit is " + StateVectorSimulator.MAX_QUBITS + " qubits");
    }
    return new CircuitSpec.Qasm(source, parsed);
  }
}
