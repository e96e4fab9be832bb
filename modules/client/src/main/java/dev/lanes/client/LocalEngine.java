package dev.lanes.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.core.circuit.QasmException;
import dev.lanes.core.circuit.QasmParser;
import dev.lanes.core.circuit.QuantumCircuit;
import dev.lanes.core.circuit.StateVectorSimulator;
import dev.lanes.core.exec.ExecutionRequest;
import dev.lanes.core.exec.ExecutionResult;
import dev.lanes.core.exec.SimulatedQpu;
import dev.lanes.core.model.CircuitSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local testing mode (R30): no server. A job runs at once, in the caller's thread, on the same
 * simulator the built-in backends use (OpenQASM circuits really simulated, descriptors sampled),
 * whatever backend it names. Sessions and batches are never opened here ({@link ExecutionMode}
 * accepts their syntax and ignores it), nothing is queued and nothing is charged: usage is 0.
 */
final class LocalEngine implements Engine {
  /** The built-in backends' default shots (reference.conf {@code jobs.default-shots}). */
  static final int DEFAULT_SHOTS = 4096;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private record LocalJob(JobRequest request, Instant created, Instant finished, JsonNode results) {}

  private final Map<String, LocalJob> jobs = new ConcurrentHashMap<>();
  private final SimulatedQpu qpu = new SimulatedQpu();
  private final Clock clock;

  LocalEngine(Clock clock) {
    this.clock = clock;
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public String submit(JobRequest request, String sessionId) {
    List<dev.lanes.core.model.Pub> pubs = pubs(request);
    String id = "local-" + UUID.randomUUID();
    Instant created = clock.instant();
    ExecutionResult result = qpu.execute(new ExecutionRequest(id, request.backend(), pubs, id.hashCode()));
    jobs.put(id, new LocalJob(request, created, clock.instant(), results(result, request.backend())));
    return id;
  }

  @Override
  public JsonNode job(String id) {
    LocalJob j = find(id);
    ObjectNode job = JSON.objectNode().put("id", id).put("backend", j.request().backend());
    job.putObject("program").put("id", j.request().program());
    job.put("status", JobStatus.COMPLETED.wire());
    job.putObject("state").put("status", JobStatus.COMPLETED.wire());
    job.put("created", j.created().toString());
    job.putNull("session_id");
    job.putObject("usage").put("quantum_seconds", 0.0);
    return job;
  }

  @Override
  public Optional<JsonNode> results(String id) {
    return Optional.of(find(id).results());
  }

  @Override
  public void cancel(String id) {
    find(id);
    throw new ConflictException("job " + id + " is already Completed: local jobs run as they are submitted");
  }

  @Override
  public JsonNode metrics(String id) {
    LocalJob j = find(id);
    ObjectNode m = JSON.objectNode();
    m.putObject("timestamps").put("created", j.created().toString()).put("running", j.created().toString())
        .put("finished", j.finished().toString());
    m.putObject("usage").put("quantum_seconds", 0.0).put("qpu_charge_time_seconds", 0.0).put("status", "complete");
    return m;
  }

  @Override
  public JsonNode openSession(String mode, String backend, Integer maxTtlSeconds) {
    throw new UnsupportedOperationException("local testing mode opens no sessions (R30)");
  }

  @Override
  public JsonNode session(String id) {
    throw new NotFoundException("session not found: " + id + " (local testing mode has no sessions, R30)");
  }

  @Override
  public void closeSession(String id) {
    // R30: nothing to close
  }

  @Override
  public void cancelSession(String id) {
    // R30: nothing to cancel
  }

  @Override
  public JsonNode usage() {
    return JSON.objectNode().put("instance_id", "local").put("usage_consumed_seconds", 0.0)
        .put("usage_limit_reached", false);
  }

  @Override
  public JsonNode backends() {
    ObjectNode answer = JSON.objectNode();
    answer.putArray("devices");
    return answer;
  }

  private LocalJob find(String id) {
    LocalJob j = jobs.get(id);
    if (j == null) {
      throw new NotFoundException("job not found: " + id);
    }
    return j;
  }

  /** The request's PUBs as the simulator takes them; bad circuits are 400s naming the PUB, as on a server. */
  private static List<dev.lanes.core.model.Pub> pubs(JobRequest request) {
    List<dev.lanes.core.model.Pub> out = new ArrayList<>();
    int defaultShots = request.defaultShots() != null ? request.defaultShots() : DEFAULT_SHOTS;
    for (int i = 0; i < request.pubs().size(); i++) {
      Pub p = request.pubs().get(i);
      int shots = p.shots() != null ? p.shots() : defaultShots;
      if (shots < 1) {
        throw new InvalidRequestException(400, "params.pubs[" + i + "].shots: must be at least 1, got " + shots);
      }
      out.add(new dev.lanes.core.model.Pub(circuit(i, p), shots, 0));
    }
    return out;
  }

  private static CircuitSpec circuit(int index, Pub p) {
    String field = "params.pubs[" + index + "].circuit";
    if (p.qasm() == null) {
      if (p.numQubits() < 1 || p.depth() < 1 || p.circuits() < 1) {
        throw new InvalidRequestException(400, field + ": num_qubits, depth and circuits must be at least 1");
      }
      return new CircuitSpec.Descriptor(p.numQubits(), p.depth(), p.circuits());
    }
    QuantumCircuit parsed;
    try {
      parsed = QasmParser.parse(p.qasm());
    } catch (QasmException e) {
      throw new InvalidRequestException(400, field + ": " + e.getMessage());
    }
    if (parsed.numQubits() > StateVectorSimulator.MAX_QUBITS) {
      throw new InvalidRequestException(400, field + ": the circuit has " + parsed.numQubits()
          + " qubits; the simulator's limit is " + StateVectorSimulator.MAX_QUBITS + " qubits");
    }
    return new CircuitSpec.Qasm(p.qasm(), parsed);
  }

  /** api.md "Results", with 0 quantum seconds: nothing ran on a QPU. */
  private static JsonNode results(ExecutionResult result, String backend) {
    ObjectNode root = JSON.objectNode();
    var entries = root.putArray("results");
    for (ExecutionResult.PubResult pub : result.pubs()) {
      ObjectNode entry = entries.addObject();
      ObjectNode data = entry.putObject("data");
      pub.counts().forEach((register, counts) -> counts.forEach(data.putObject(register).putObject("counts")::put));
      entry.putObject("metadata").put("shots", pub.shots()).put("circuits", pub.circuits())
          .put("simulated", pub.simulated()).put("note", pub.note());
    }
    root.putObject("metadata").put("backend", backend).put("quantum_seconds", 0.0).put("local", true);
    return root;
  }
}
