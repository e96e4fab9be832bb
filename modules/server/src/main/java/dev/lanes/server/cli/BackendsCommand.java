package dev.lanes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lanes backends}: every backend, its status, lanes and queue. */
@Command(name = "backends", description = "List the backends: status, qubits, lanes busy, queue length.")
final class BackendsCommand implements Callable<Integer> {
  @ParentCommand
  LanesCli cli;

  @Override
  public Integer call() {
    JsonNode answer = cli.api().backends();
    if (cli.json) {
      cli.printJson(answer);
      return ExitCodes.OK;
    }
    Table t = new Table("NAME", "STATUS", "QUBITS", "LANES", "BUSY", "QUEUE", "REASON");
    for (JsonNode d : answer.path("devices")) {
      t.row(d.path("name"), d.path("status").path("name"), d.path("qubits"), d.path("lanes"), d.path("lanes_busy"),
          d.path("queue_length"), d.path("status").path("reason"));
    }
    t.print(cli.out());
    return ExitCodes.OK;
  }
}
