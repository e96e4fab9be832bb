package dev.lanes.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** R30: local testing mode runs jobs in-process on the simulator; session and batch syntax is ignored. */
class LocalModeTest {
  static final String BELL = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg meas[2];\n"
      + "h q[0];\ncx q[0],q[1];\nmeasure q -> meas;";

  private final RuntimeService local = RuntimeService.local();

  @Test
  @DisplayName("R30: a job runs at once on the local simulator and its counts are a real simulation")
  void aJobRunsAtOnceOnTheSimulator() {
    Job job = local.run(JobRequest.sampler("any_backend", Pub.qasm(BELL)).withShots(1000));

    assertEquals(JobStatus.COMPLETED, job.status());
    Map<String, Long> counts = job.result().counts();
    assertEquals(Set.of("00", "11"), counts.keySet(), "a Bell pair measures 00 or 11 only");
    assertEquals(1000L, counts.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(0.0, job.details().path("usage").path("quantum_seconds").asDouble());
    assertEquals(0.0, job.metrics().path("usage").path("quantum_seconds").asDouble());
  }

  @Test
  @DisplayName("R30: in a session the syntax is accepted and ignored: null id, empty details, usage 0")
  void sessionSyntaxIsIgnored() {
    try (Session session = local.session("sim_kyiv", Duration.ofMinutes(10))) {
      assertNull(session.id());
      Job job = session.sampler(Pub.qasm(BELL).withShots(100), Pub.descriptor(3, 4, 2).withShots(10));
      assertEquals(JobStatus.COMPLETED, job.waitForFinalState(Duration.ofSeconds(1)));
      assertNull(job.details().path("session_id").textValue(), "local jobs belong to no session");
      JobResult result = job.result();
      assertEquals(2, result.pubs().size());
      assertEquals(20L, result.pubs().get(1).counts().values().stream().mapToLong(Long::longValue).sum(),
          "a descriptor PUB samples shots × circuits");
      assertTrue(session.details().isEmpty());
      assertEquals(0.0, session.usage());
      session.cancel();
    }
  }

  @Test
  @DisplayName("R30: a batch is ignored the same way, and its jobs still run")
  void batchSyntaxIsIgnored() {
    try (Batch batch = local.batch("sim_kyiv")) {
      assertNull(batch.id());
      Job a = batch.sampler(Pub.qasm(BELL).withShots(10));
      Job b = batch.sampler(Pub.qasm(BELL).withShots(20));
      assertEquals(10L, a.result().pubs().get(0).shots());
      assertEquals(20L, b.result().pubs().get(0).shots());
      assertEquals(0.0, batch.usage());
    }
    assertEquals(0.0, local.usage().path("usage_consumed_seconds").asDouble());
  }

  @Test
  @DisplayName("R30 with R4: a bad circuit is refused as a server would, naming the PUB and the line")
  void badCircuitsAreRefusedLikeOnAServer() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () ->
        local.run(JobRequest.sampler("x", Pub.qasm("OPENQASM 2.0;\nqreg q[2];\nfoo q[0];"))));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("params.pubs[0].circuit") && e.getMessage().contains("line 3"), e.getMessage());
    assertThrows(NotFoundException.class, () -> local.job("no-such-job"));
    Job done = local.run(JobRequest.sampler("x", Pub.qasm(BELL)));
    assertThrows(ConflictException.class, done::cancel, "a final job cannot be cancelled (409)");
  }
}
