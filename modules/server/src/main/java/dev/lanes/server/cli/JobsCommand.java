package dev.lanes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.client.LanesApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lanes jobs submit|list|get|cancel|result}. */
@Command(name = "jobs", description = "Submit, list, inspect and cancel jobs; fetch their results.",
    subcommands = {JobsCommand.Submit.class, JobsCommand.ListJobs.class, JobsCommand.Get.class,
        JobsCommand.Cancel.class, JobsCommand.Result.class})
final class JobsCommand implements Callable<Integer> {
  @ParentCommand
  LanesCli cli;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(cli.err());
    return ExitCodes.USAGE;
  }

  /** The job as key/value lines. */
  static void printJob(PrintWriter out, JsonNode j) {
    Table.keyValues(out,
        "id", j.path("id"),
        "status", JobProgress.status(j),
        "reason", j.path("state").path("reason"),
        "backend", j.path("backend"),
        "program", j.path("program").path("id"),
        "session", j.path("session_id"),
        "created", Table.time(j.path("created")),
        "tags", j.path("tags"),
        "cost (s)", j.path("cost"),
        "estimated run (s)", j.path("estimated_running_time_seconds"),
        "quantum (s)", j.path("usage").path("quantum_seconds"),
        "queue position", j.path("queue_position"),
        "estimated start", Table.time(j.path("estimated_start")));
  }

  /** Waits with a progress display, prints the final job; exit 8 unless it Completed. */
  static int waitAndReport(LanesCli cli, String id, boolean quiet, boolean printJob) {
    JsonNode job = new JobProgress(cli.api(), cli.err(), LanesCli.stderrIsTerminal(), quiet).await(id);
    if (printJob) {
      if (cli.json) {
        cli.printJson(job);
      } else {
        printJob(cli.out(), job);
      }
    }
    return finalCode(cli, job);
  }

  static int finalCode(LanesCli cli, JsonNode job) {
    String status = JobProgress.status(job);
    if (status.equals("Completed")) {
      return ExitCodes.OK;
    }
    String reason = job.path("state").path("reason").asText("");
    cli.err().println("lanes: job " + job.path("id").asText() + " ended " + status + (reason.isEmpty() ? "" : ": " + reason));
    cli.err().flush();
    return ExitCodes.JOB_FAILED;
  }

  @Command(name = "submit", sortOptions = false,
      description = {"Submit a job: OpenQASM 2 circuits (--qasm), a timing-only descriptor (--circuits/--qubits/--depth) "
          + "or a whole JSON body (--body; options given here override its fields).",
          "Prints the new job's id, or with --wait the final job (exit 8 if it ends Failed or Cancelled)."})
  static final class Submit implements Callable<Integer> {
    @ParentCommand
    JobsCommand jobs;

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (required unless the --body names one).")
    String backend;

    @Option(names = "--program", paramLabel = "ID", description = "sampler (default) or estimator.")
    String program;

    @Option(names = "--session", paramLabel = "ID", description = "Session or batch to submit into.")
    String session;

    @Option(names = "--shots", paramLabel = "N", description = "Shots per circuit (params.options.default_shots; default: the backend's).")
    Integer shots;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--cost", paramLabel = "SECONDS", description = "Max quantum time of the job; past it the job ends Cancelled.")
    Long cost;

    @Option(names = "--qasm", paramLabel = "FILE", description = "An OpenQASM 2 file, one PUB each (repeatable; - reads stdin).")
    List<String> qasm = new ArrayList<>();

    @Option(names = "--circuits", paramLabel = "N", description = "Timing-only descriptor: number of circuits (default 1).")
    Integer circuits;

    @Option(names = "--qubits", paramLabel = "Q", description = "Timing-only descriptor: qubits per circuit.")
    Integer qubits;

    @Option(names = "--depth", paramLabel = "D", description = "Timing-only descriptor: depth of each circuit.")
    Integer depth;

    @Option(names = "--body", paramLabel = "FILE", description = "The whole POST /jobs body as JSON (- reads stdin).")
    String body;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "A retry with the same key returns the first job.")
    String idempotencyKey;

    @Option(names = "--wait", description = "Wait until the job ends, showing progress on stderr.")
    boolean await;

    @Option(names = {"-q", "--quiet"}, description = "Print only the job id; no progress display.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
      LanesCli cli = jobs.cli;
      ObjectNode job = body();
      JsonNode answer = cli.api().submitJob(job.toString(), idempotencyKey);
      String id = answer.path("id").asText();
      if (!await) {
        if (cli.json) {
          cli.printJson(answer);
        } else if (quiet) {
          cli.out().println(id);
        } else {
          cli.out().println("Submitted job " + id + " to " + answer.path("backend").asText(job.path("backend").asText())
              + (answer.path("session_id").isTextual() ? " (session " + answer.path("session_id").asText() + ")" : ""));
        }
        cli.out().flush();
        return ExitCodes.OK;
      }
      if (quiet && !cli.json) {
        cli.out().println(id);
        cli.out().flush();
        return waitAndReport(cli, id, true, false);
      }
      if (!cli.json) {
        cli.err().println("Submitted job " + id + "; waiting for it to end (Ctrl-C stops waiting, not the job)");
        cli.err().flush();
      }
      return waitAndReport(cli, id, quiet, true);
    }

    private ObjectNode body() throws IOException {
      boolean descriptor = circuits != null || qubits != null || depth != null;
      int sources = (body != null ? 1 : 0) + (qasm.isEmpty() ? 0 : 1) + (descriptor ? 1 : 0);
      if (sources != 1) {
        throw LanesCli.usage(spec, "give exactly one of --qasm FILE, --circuits/--qubits/--depth or --body FILE");
      }
      ObjectNode job;
      if (body != null) {
        JsonNode parsed;
        try {
          parsed = LanesCli.JSON.readTree(read(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new CliException(ExitCodes.BAD_REQUEST, "--body " + body + " is not JSON: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof ObjectNode o)) {
          throw new CliException(ExitCodes.BAD_REQUEST, "--body " + body + " is not a JSON object");
        }
        job = o;
      } else {
        job = LanesCli.JSON.createObjectNode();
        job.put("program_id", "sampler");
        ArrayNode pubs = job.putObject("params").putArray("pubs");
        if (descriptor) {
          if (qubits == null || depth == null) {
            throw LanesCli.usage(spec, "a descriptor needs --qubits and --depth (and optionally --circuits)");
          }
          ObjectNode c = pubs.addObject().putObject("circuit");
          c.put("num_qubits", qubits).put("depth", depth).put("circuits", circuits == null ? 1 : circuits);
        } else {
          for (String f : qasm) {
            pubs.addObject().put("circuit", read(f));
          }
        }
      }
      if (backend != null) {
        job.put("backend", backend);
      }
      if (!job.path("backend").isTextual()) {
        throw LanesCli.usage(spec, "--backend is required");
      }
      if (program != null) {
        job.put("program_id", program);
      }
      if (session != null) {
        job.put("session_id", session);
      }
      if (shots != null) {
        JsonNode params = job.get("params");
        if (!(params instanceof ObjectNode p)) {
          throw new CliException(ExitCodes.BAD_REQUEST, "--shots: the body has no params object");
        }
        (p.get("options") instanceof ObjectNode o ? o : p.putObject("options")).put("default_shots", shots);
      }
      if (!tags.isEmpty()) {
        ArrayNode t = job.putArray("tags");
        tags.forEach(t::add);
      }
      if (cost != null) {
        job.put("cost", cost);
      }
      return job;
    }

    private static String read(String file) throws IOException {
      if (file.equals("-")) {
        InputStream in = System.in;
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Path p = Path.of(file);
      if (!Files.isRegularFile(p)) {
        throw new CliException(ExitCodes.USAGE, "file not found: " + file);
      }
      return Files.readString(p, StandardCharsets.UTF_8);
    }
  }

  @Command(name = "list", description = "List jobs, newest first (your instance's only).")
  static final class ListJobs implements Callable<Integer> {
    @ParentCommand
    JobsCommand jobs;

    @Option(names = "--pending", description = "Only Queued and Running jobs.")
    boolean pending;

    @Option(names = "--backend", paramLabel = "NAME")
    String backend;

    @Option(names = "--session", paramLabel = "ID", description = "Only the jobs of this session or batch.")
    String session;

    @Option(names = "--limit", paramLabel = "N", description = "At most N jobs (1-200, default 20).", defaultValue = "20")
    int limit;

    @Option(names = "--offset", paramLabel = "N", description = "Skip the first N.", defaultValue = "0")
    int offset;

    @Override
    public Integer call() {
      LanesCli cli = jobs.cli;
      Map<String, String> q = new LinkedHashMap<>();
      q.put("limit", Integer.toString(limit));
      q.put("offset", Integer.toString(offset));
      q.put("exclude_params", "true");
      if (pending) {
        q.put("pending", "true");
      }
      Optional.ofNullable(backend).ifPresent(b -> q.put("backend", b));
      Optional.ofNullable(session).ifPresent(s -> q.put("session_id", s));
      JsonNode page = cli.api().jobs(q);
      if (cli.json) {
        cli.printJson(page);
        return ExitCodes.OK;
      }
      Table t = new Table("ID", "STATUS", "BACKEND", "PROGRAM", "SESSION", "CREATED", "POS", "QUANTUM_S", "TAGS");
      for (JsonNode j : page.path("jobs")) {
        t.row(j.path("id"), JobProgress.status(j), j.path("backend"), j.path("program").path("id"), j.path("session_id"),
            Table.time(j.path("created")), j.path("queue_position"), j.path("usage").path("quantum_seconds"), j.path("tags"));
      }
      PrintWriter out = cli.out();
      if (t.isEmpty()) {
        out.println("No jobs.");
      } else {
        t.print(out);
      }
      more(out, page, "jobs", offset);
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** "(20 of 57 jobs; --offset 20 for more)" under a page that is not the whole list. */
  static void more(PrintWriter out, JsonNode page, String what, int offset) {
    int shown = page.path(what).size();
    long count = page.path("count").asLong(shown);
    if (offset + shown < count) {
      out.println("(" + (offset + 1) + "-" + (offset + shown) + " of " + count + " " + what + "; --offset "
          + (offset + shown) + " for more)");
    }
  }

  @Command(name = "get", description = "Show one job: status, reason, queue position and estimated start, usage.")
  static final class Get implements Callable<Integer> {
    @ParentCommand
    JobsCommand jobs;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--params", description = "Include the job's params (with --json).")
    boolean params;

    @Override
    public Integer call() {
      LanesCli cli = jobs.cli;
      JsonNode job = cli.api().job(id, params);
      if (cli.json) {
        cli.printJson(job);
      } else {
        printJob(cli.out(), job);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", description = {"Cancel a queued or running job (exit 5 if it is already final).",
      "With --json, prints the job as it is after the cancel (the cancel itself answers no body)."})
  static final class Cancel implements Callable<Integer> {
    @ParentCommand
    JobsCommand jobs;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      LanesCli cli = jobs.cli;
      cli.api().cancel(id);
      JsonNode job = cli.api().job(id, false);
      if (cli.json) {
        cli.printJson(job);
      } else {
        cli.out().println("Cancel requested for job " + id + " (status now " + JobProgress.status(job) + ")");
        cli.out().flush();
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "result", description = {"Print a Completed job's results (counts per PUB).",
      "Exit 5 if the job has not ended yet (use --wait), 8 if it ended Failed or Cancelled."})
  static final class Result implements Callable<Integer> {
    @ParentCommand
    JobsCommand jobs;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--wait", description = "Wait until the job ends, showing progress on stderr.")
    boolean await;

    @Option(names = "--top", paramLabel = "N", defaultValue = "16", description = "Outcomes shown per PUB in the table (default ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() {
      LanesCli cli = jobs.cli;
      LanesApi api = cli.api();
      if (await) {
        int code = waitAndReport(cli, id, false, false);
        if (code != ExitCodes.OK) {
          return code;
        }
      }
      Optional<JsonNode> results = api.results(id);
      if (results.isEmpty()) {
        JsonNode job = api.job(id, false);
        if (LanesApi.isFinal(job) && !JobProgress.status(job).equals("Completed")) {
          return finalCode(cli, job);
        }
        throw new CliException(ExitCodes.CONFLICT, "job " + id + " is " + JobProgress.status(job)
            + ": no results yet (add --wait to wait for them)");
      }
      if (cli.json) {
        cli.printJson(results.get());
      } else {
        printCounts(cli.out(), results.get(), top);
      }
      return ExitCodes.OK;
    }
  }

  static void printCounts(PrintWriter out, JsonNode results, int top) {
    JsonNode meta = results.path("metadata");
    out.println("backend: " + Table.cell(meta.path("backend")) + ", quantum seconds: " + Table.cell(meta.path("quantum_seconds")));
    int pub = 0;
    for (JsonNode r : results.path("results")) {
      Iterator<Map.Entry<String, JsonNode>> registers = r.path("data").fields();
      while (registers.hasNext()) {
        Map.Entry<String, JsonNode> reg = registers.next();
        JsonNode counts = reg.getValue().path("counts");
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        counts.fields().forEachRemaining(entries::add);
        entries.sort((a, b) -> Long.compare(b.getValue().asLong(), a.getValue().asLong()));
        out.println();
        out.println("PUB " + pub + ", register " + reg.getKey() + " (shots " + Table.cell(r.path("metadata").path("shots"))
            + (entries.size() > top ? ", " + entries.size() + " outcomes, top " + top : "") + ")");
        Table t = new Table("OUTCOME", "COUNT");
        entries.stream().limit(top).forEach(e -> t.row(e.getKey(), e.getValue()));
        t.print(out);
      }
      pub++;
    }
    out.flush();
  }
}
