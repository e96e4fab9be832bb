package dev.lanes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lanes usage}: the instance's usage over the rolling window. */
@Command(name = "usage", description = "Show your instance's usage over the rolling window, its allocation and limit.")
final class UsageCommand implements Callable<Integer> {
  @ParentCommand
  LanesCli cli;

  @Override
  public Integer call() {
    JsonNode u = cli.api().usage();
    if (cli.json) {
      cli.printJson(u);
      return ExitCodes.OK;
    }
    Table.keyValues(cli.out(),
        "instance", u.path("instance_id"),
        "plan", u.path("plan_id"),
        "window", Table.time(u.path("usage_period").path("start_time")) + " .. " + Table.time(u.path("usage_period").path("end_time")),
        "consumed (s)", u.path("usage_consumed_seconds"),
        "allocation (s)", u.path("usage_allocation_seconds"),
        "limit (s)", u.path("usage_limit_seconds"),
        "limit reached", u.path("usage_limit_reached"),
        "remaining (s)", u.path("usage_remaining_seconds"));
    return ExitCodes.OK;
  }
}
