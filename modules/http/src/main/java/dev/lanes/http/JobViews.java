package dev.lanes.http;

import com.fasterxml.jackson.databind.util.RawValue;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import java.util.Map;

/** The job object, metrics and list entries exactly as api.md names their fields. */
final class JobViews {
  private JobViews() {}

  static Map<String, Object> job(JobState s, QueueArbiter.Positions queue, boolean includeParams) {
    Map<String, Object> state = Json.obj("status", s.status().name(), "reason", s.reason(),
        "reason_code", s.reasonCode());
    Map<String, Object> m = Json.obj(
        "id", s.jobId(),
        "backend", s.backend(),
        "program", Json.obj("id", s.programId()),
        "status", s.status().name(),
        "state", state,
        "created", Json.time(s.created()),
        "session_id", s.sessionId(),
        "instance", s.instance(),
        "user_id", s.userId(),
        "tags", s.tags(),
        "cost", s.maxExecutionSeconds(),
        "estimated_running_time_seconds", s.estimatedQuantumSeconds(),
        "usage", Json.obj("quantum_seconds", s.quantumSeconds()));
    if (includeParams) {
      m.put("params", new RawValue(s.paramsJson()));
    }
    if (s.status() == JobStatus.Queued) {
      m.put("queue_position", queue.positions().get(s.jobId()));
      m.put("estimated_start", Json.time(queue.estimatedStarts().get(s.jobId())));
    }
    return m;
  }

  static Map<String, Object> metrics(JobState s) {
    return Json.obj(
        "timestamps", Json.obj("created", Json.time(s.created()), "running", Json.time(s.runningAt()),
            "finished", Json.time(s.finishedAt())),
        "usage", Json.obj("quantum_seconds", s.quantumSeconds(), "qpu_charge_time_seconds", s.quantumSeconds(),
            "status", s.isFinal() ? "complete" : "pending"),
        "qpu", Json.obj("started", Json.time(s.qpuStartedAt()), "finished", Json.time(s.qpuFinishedAt())),
        "lane", s.lane());
  }
}
