package dev.lanes.core.model;

import java.util.Optional;
import java.util.Set;

/** R4: a job that can never fit is refused at submit, with a message naming the limit. */
public final class JobValidator {
  public static final Set<String> PROGRAMS = Set.of("sampler", "estimator");

  private JobValidator() {}

  public static Optional<Rejection> validate(JobSpec spec, BackendSpec backend, JobLimits limits) {
    if (!PROGRAMS.contains(spec.programId())) {
      return Optional.of(Rejection.notFound("program_id", "program not found: '" + spec.programId() + "'"));
    }
    if (spec.pubs().isEmpty()) {
      return Optional.of(Rejection.badRequest("params.pubs", "params.pubs must hold at least one PUB"));
    }
    if (spec.tags().size() > limits.maxTags()) {
      return Optional.of(Rejection.badRequest("tags",
          "too many tags: " + spec.tags().size() + " > jobs.max-tags (" + limits.maxTags() + ")"));
    }
    for (String tag : spec.tags()) {
      if (tag.isEmpty() || tag.length() > limits.maxTagLength()) {
        return Optional.of(Rejection.badRequest("tags",
            "each tag must be 1.." + limits.maxTagLength() + " characters"));
      }
    }
    if (spec.maxExecutionSeconds() != null && spec.maxExecutionSeconds() <= 0) {
      return Optional.of(Rejection.badRequest("cost", "cost (max execution time) must be > 0 seconds"));
    }
    JobShape shape = spec.shape();
    if (shape.maxQubits() > backend.qubits()) {
      return Optional.of(Rejection.badRequest("params.pubs",
          "circuit of " + shape.maxQubits() + " qubits is wider than backend " + backend.name()
              + " (" + backend.qubits() + " qubits)"));
    }
    if (shape.executions() > limits.maxExecutions()) {
      return Optional.of(Rejection.badRequest("params.pubs",
          "job has " + shape.executions() + " executions (circuits × shots), over jobs.max-executions ("
              + limits.maxExecutions() + ")"));
    }
    return Optional.empty();
  }

  /** R28: the user's cost is capped by the system's max execution time. */
  public static long effectiveMaxExecutionSeconds(Long cost, JobLimits limits) {
    long cap = limits.maxExecutionTime().toSeconds();
    return cost == null ? cap : Math.min(cost, cap);
  }
}
