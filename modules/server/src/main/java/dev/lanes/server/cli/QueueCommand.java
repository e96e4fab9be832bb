package dev.lanes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lanes queue BACKEND} (admin tokens): the backend's queue in start order, and why. */
@Command(name = "queue", description = {"Show a backend's queue in start order, with why (admin tokens only; others exit 4)."})
final class QueueCommand implements Callable<Integer> {
  @ParentCommand
  LanesCli cli;

  @Parameters(paramLabel = "BACKEND")
  String backend;

  @Override
  public Integer call() {
    JsonNode q = cli.api().adminQueue(backend);
    if (cli.json) {
      cli.printJson(q);
      return ExitCodes.OK;
    }
    PrintWriter out = cli.out();
    JsonNode holder = q.path("holder");
    out.println("backend " + backend + ", held by: " + (holder.path("kind").isTextual()
        ? holder.path("kind").asText() + " " + Table.cell(holder.path("id")) : "nobody"));
    for (JsonNode m : q.path("maintenance_pending")) {
      out.println("maintenance pending: " + Table.cell(m.path("kind")) + " for " + Table.cell(m.path("duration_seconds"))
          + " s (requested " + Table.time(m.path("requested_at")) + ")");
    }
    Table t = new Table("POS", "JOB", "INSTANCE", "SESSION", "CLASS", "FAIR_SHARE", "WAITED_S", "EST_START", "WHY");
    int i = 1;
    for (JsonNode e : q.path("queue")) {
      JsonNode pos = e.path("queue_position");
      t.row(pos.isNumber() ? pos : i, e.path("job_id"), e.path("instance"), e.path("session_id"), e.path("priority_class"),
          e.path("fair_share_ratio"), e.path("waited_seconds"), Table.time(e.path("estimated_start")), e.path("why"));
      i++;
    }
    if (t.isEmpty()) {
      out.println("The queue is empty.");
    } else {
      t.print(out);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
