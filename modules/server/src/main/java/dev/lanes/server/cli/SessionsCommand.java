package dev.lanes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lanes sessions open|list|details|close|cancel}: dedicated sessions and batches. */
@Command(name = "sessions", description = "Open, list, inspect, close and cancel sessions and batches.",
    subcommands = {SessionsCommand.Open.class, SessionsCommand.ListSessions.class, SessionsCommand.Details.class,
        SessionsCommand.Close.class, SessionsCommand.CancelSession.class})
final class SessionsCommand implements Callable<Integer> {
  @ParentCommand
  LanesCli cli;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(cli.err());
    return ExitCodes.USAGE;
  }

  static void printSession(PrintWriter out, JsonNode s) {
    JsonNode jobs = s.path("jobs");
    Table.keyValues(out,
        "id", s.path("id"),
        "mode", s.path("mode"),
        "backend", s.path("backend_name"),
        "state", s.path("state"),
        "state reason", s.path("state_reason"),
        "accepting jobs", s.path("accepting_jobs"),
        "interactive ttl (s)", s.path("interactive_ttl"),
        "max ttl (s)", s.path("max_ttl"),
        "active ttl (s)", s.path("active_ttl"),
        "created", Table.time(s.path("created_at")),
        "started", Table.time(s.path("started_at")),
        "closed", Table.time(s.path("closed_at")),
        "usage (s)", s.path("elapsed_time"),
        "jobs", jobs.isObject() ? jobs.path("queued").asInt() + " queued, " + jobs.path("running").asInt() + " running, "
            + jobs.path("ended").asInt() + " ended" : null);
  }

  /** After a close or cancel (204, no body): the session as it is now. */
  static int after(LanesCli cli, String id, String done) {
    JsonNode s = cli.api().getSession(id);
    if (cli.json) {
      cli.printJson(s);
    } else {
      String state = s.path("state").asText();
      cli.out().println((state.equals("closed") ? "Closed" : done) + " " + s.path("mode").asText("session") + " " + id
          + " (state now " + state + ")");
      cli.out().flush();
    }
    return ExitCodes.OK;
  }

  @Command(name = "open", description = "Open a dedicated session (default) or a batch on a backend; prints it.")
  static final class Open implements Callable<Integer> {
    @ParentCommand
    SessionsCommand sessions;

    @Option(names = "--backend", paramLabel = "NAME", required = true)
    String backend;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "dedicated", description = "dedicated (default) or batch.")
    String mode;

    @Option(names = "--max-ttl", paramLabel = "SECONDS", description = "Max TTL (default: the server's, sessions.max-ttl).")
    Integer maxTtl;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "A retry with the same key returns the first session.")
    String idempotencyKey;

    @Option(names = {"-q", "--quiet"}, description = "Print only the session id.")
    boolean quiet;

    @Override
    public Integer call() {
      LanesCli cli = sessions.cli;
      JsonNode s = cli.api().openSession(mode, backend, maxTtl, idempotencyKey);
      if (cli.json) {
        cli.printJson(s);
      } else if (quiet) {
        cli.out().println(s.path("id").asText());
        cli.out().flush();
      } else {
        printSession(cli.out(), s);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List sessions and batches of your instance.")
  static final class ListSessions implements Callable<Integer> {
    @ParentCommand
    SessionsCommand sessions;

    @Option(names = "--state", paramLabel = "STATE", description = "open, active, inactive or closed.")
    String state;

    @Option(names = "--mode", paramLabel = "MODE", description = "dedicated or batch.")
    String mode;

    @Option(names = "--backend", paramLabel = "NAME")
    String backend;

    @Option(names = "--limit", paramLabel = "N", description = "At most N (1-200, default 20).", defaultValue = "20")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0")
    int offset;

    @Override
    public Integer call() {
      LanesCli cli = sessions.cli;
      Map<String, String> q = new LinkedHashMap<>();
      q.put("limit", Integer.toString(limit));
      q.put("offset", Integer.toString(offset));
      Optional.ofNullable(state).ifPresent(v -> q.put("state", v));
      Optional.ofNullable(mode).ifPresent(v -> q.put("mode", v));
      Optional.ofNullable(backend).ifPresent(v -> q.put("backend", v));
      JsonNode page = cli.api().sessions(q);
      if (cli.json) {
        cli.printJson(page);
        return ExitCodes.OK;
      }
      Table t = new Table("ID", "MODE", "BACKEND", "STATE", "ACCEPTING", "CREATED", "ACTIVE_TTL", "USAGE_S", "JOBS(Q/R/E)");
      for (JsonNode s : page.path("sessions")) {
        JsonNode jobs = s.path("jobs");
        t.row(s.path("id"), s.path("mode"), s.path("backend_name"), s.path("state"), s.path("accepting_jobs"),
            Table.time(s.path("created_at")), s.path("active_ttl"), s.path("elapsed_time"),
            jobs.isObject() ? jobs.path("queued").asInt() + "/" + jobs.path("running").asInt() + "/" + jobs.path("ended").asInt() : null);
      }
      PrintWriter out = cli.out();
      if (t.isEmpty()) {
        out.println("No sessions.");
      } else {
        t.print(out);
      }
      JobsCommand.more(out, page, "sessions", offset);
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "details", description = "Show one session or batch, with its state changes.")
  static final class Details implements Callable<Integer> {
    @ParentCommand
    SessionsCommand sessions;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      LanesCli cli = sessions.cli;
      JsonNode s = cli.api().getSession(id);
      if (cli.json) {
        cli.printJson(s);
        return ExitCodes.OK;
      }
      PrintWriter out = cli.out();
      printSession(out, s);
      Table t = new Table("STATE", "AT");
      s.path("timestamps").forEach(e -> t.row(e.path("status"), Table.time(e.path("timestamp"))));
      if (!t.isEmpty()) {
        out.println();
        t.print(out);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "close", description = {"Close: no new jobs; queued and running ones finish, then it closes.",
      "With --json, prints the session as it is after the call (which answers no body)."})
  static final class Close implements Callable<Integer> {
    @ParentCommand
    SessionsCommand sessions;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      sessions.cli.api().closeSession(id);
      return after(sessions.cli, id, "Closing");
    }
  }

  @Command(name = "cancel", description = {"Cancel: queued jobs end Cancelled at once, running ones finish.",
      "With --json, prints the session as it is after the call (which answers no body)."})
  static final class CancelSession implements Callable<Integer> {
    @ParentCommand
    SessionsCommand sessions;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      sessions.cli.api().cancelSession(id);
      return after(sessions.cli, id, "Cancelled");
    }
  }
}
