package dev.lanes.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.circuit.QasmParser;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobValidatorTest {
  private static final JobLimits LIMITS =
      new JobLimits(10_000_000, 50L << 20, 8, 64, Duration.ofHours(3), 4096);
  private static final BackendSpec BACKEND =
      new BackendSpec("sim_kyiv", 127, 5, false, TimingModel.defaults(), "1.0");

  private static Pub descriptor(int qubits, int depth, long circuits, int shots) {
    return new Pub(new CircuitSpec.Descriptor(qubits, depth, circuits), shots, 0);
  }

  private static JobSpec spec(String program, List<Pub> pubs, List<String> tags, Long cost) {
    return new JobSpec(program, "sim_kyiv", pubs, tags, cost, "{}");
  }

  private static JobSpec spec(List<Pub> pubs) {
    return spec("sampler", pubs, List.of(), null);
  }

  private static Rejection rejected(JobSpec spec) {
    Optional<Rejection> r = JobValidator.validate(spec, BACKEND, LIMITS);
    assertTrue(r.isPresent(), "expected a rejection");
    return r.get();
  }

  private static void accepted(JobSpec spec) {
    assertEquals(Optional.empty(), JobValidator.validate(spec, BACKEND, LIMITS));
  }

  // R4: an ordinary job passes, for both programs
  @Test
  void ordinaryJobIsAccepted() {
    accepted(spec(List.of(descriptor(100, 100, 80, 4096))));
    accepted(spec("estimator", List.of(descriptor(5, 5, 1, 1)), List.of("a", "b"), 60L));
  }

  // R4: executions = Σ circuits × shots over jobs.max-executions → 400 naming the limit
  @Test
  void tooManyExecutionsIsRejectedNamingTheLimit() {
    Rejection r = rejected(spec(List.of(descriptor(10, 10, 1_000, 10_001))));
    assertEquals(400, r.status());
    assertTrue(r.message().contains("jobs.max-executions"), r.message());
    assertTrue(r.message().contains("10001000"), r.message());
  }

  // R4: executions summed over PUBs and parameter sets; exactly the limit is still accepted
  @Test
  void executionsAtTheLimitAreAcceptedOneMoreIsNot() {
    accepted(spec(List.of(descriptor(10, 10, 1_000, 5_000), descriptor(10, 10, 1_000, 5_000))));
    accepted(spec(List.of(new Pub(new CircuitSpec.Descriptor(10, 10, 1_000), 5_000, 2))));
    Rejection r = rejected(spec(List.of(descriptor(10, 10, 1_000, 5_000), descriptor(10, 10, 1_000, 5_000),
        descriptor(10, 10, 1, 1))));
    assertEquals(400, r.status());
    assertTrue(r.message().contains("jobs.max-executions"), r.message());
  }

  // R4: more than jobs.max-tags tags → 400 naming the limit; exactly the limit is fine
  @Test
  void tooManyTagsIsRejectedNamingTheLimit() {
    accepted(spec("sampler", List.of(descriptor(1, 1, 1, 1)), Collections.nCopies(8, "t"), null));
    Rejection r = rejected(spec("sampler", List.of(descriptor(1, 1, 1, 1)), Collections.nCopies(9, "t"), null));
    assertEquals(400, r.status());
    assertEquals("tags", r.field());
    assertTrue(r.message().contains("jobs.max-tags"), r.message());
  }

  // R4: an empty tag or one over the tag length is malformed
  @Test
  void emptyOrOverlongTagIsRejected() {
    assertEquals(400, rejected(spec("sampler", List.of(descriptor(1, 1, 1, 1)), List.of(""), null)).status());
    assertEquals(400, rejected(spec("sampler", List.of(descriptor(1, 1, 1, 1)), List.of("x".repeat(65)), null)).status());
    accepted(spec("sampler", List.of(descriptor(1, 1, 1, 1)), List.of("x".repeat(64)), null));
  }

  // R4: a circuit wider than the backend → 400; exactly as wide is fine
  @Test
  void circuitWiderThanBackendIsRejected() {
    accepted(spec(List.of(descriptor(127, 10, 1, 100))));
    Rejection r = rejected(spec(List.of(descriptor(5, 5, 1, 100), descriptor(128, 10, 1, 100))));
    assertEquals(400, r.status());
    assertTrue(r.message().contains("128") && r.message().contains("127"), r.message());
    assertTrue(r.message().contains("sim_kyiv"), r.message());
  }

  // R4: an OpenQASM circuit wider than the backend is refused too
  @Test
  void qasmCircuitWiderThanBackendIsRejected() {
    String src = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nh q[0];\n";
    Pub pub = new Pub(new CircuitSpec.Qasm(src, QasmParser.parse(src)), 100, 0);
    BackendSpec tiny = new BackendSpec("tiny", 2, 1, false, TimingModel.defaults(), "1.0");
    Optional<Rejection> r = JobValidator.validate(spec(List.of(pub)), tiny, LIMITS);
    assertTrue(r.isPresent());
    assertEquals(400, r.get().status());
    assertEquals(Optional.empty(), JobValidator.validate(spec(List.of(pub)), BACKEND, LIMITS));
  }

  // R4: unknown program → 404 "program not found" (checked before anything else)
  @Test
  void unknownProgramIsNotFound() {
    Rejection r = rejected(spec("qaoa", List.of(descriptor(1, 1, 1, 1)), List.of(), null));
    assertEquals(404, r.status());
    assertTrue(r.message().startsWith("program not found"), r.message());
    assertEquals(404, rejected(spec("qaoa", List.of(), List.of(), null)).status());
  }

  // R4: a job with no PUBs is malformed
  @Test
  void emptyPubsAreRejected() {
    Rejection r = rejected(spec(List.of()));
    assertEquals(400, r.status());
    assertEquals("params.pubs", r.field());
  }

  // R28: a cost (max execution time) of zero or less is refused
  @Test
  void nonPositiveCostIsRejected() {
    assertEquals("cost", rejected(spec("sampler", List.of(descriptor(1, 1, 1, 1)), List.of(), 0L)).field());
    assertEquals(400, rejected(spec("sampler", List.of(descriptor(1, 1, 1, 1)), List.of(), -5L)).status());
    accepted(spec("sampler", List.of(descriptor(1, 1, 1, 1)), List.of(), 1L));
  }

  // R28: the user's cost is capped by jobs.max-execution-time; no cost means the cap
  @Test
  void effectiveMaxExecutionSecondsIsCappedByTheSystemLimit() {
    assertEquals(10_800, JobValidator.effectiveMaxExecutionSeconds(null, LIMITS));
    assertEquals(60, JobValidator.effectiveMaxExecutionSeconds(60L, LIMITS));
    assertEquals(10_800, JobValidator.effectiveMaxExecutionSeconds(10_800L, LIMITS));
    assertEquals(10_800, JobValidator.effectiveMaxExecutionSeconds(99_999L, LIMITS));
    JobLimits shortCap = new JobLimits(1, 1, 1, 1, Duration.ofMinutes(5), 1);
    assertEquals(300, JobValidator.effectiveMaxExecutionSeconds(null, shortCap));
    assertEquals(300, JobValidator.effectiveMaxExecutionSeconds(Long.MAX_VALUE, shortCap));
  }
}
