package dev.lanes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.client.LanesApi;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/lanes}: the command-line client of the Lanes HTTP API v1 (issue 7, item 2). It
 * speaks the API through {@link LanesApi} only, so starting it loads no Akka. Tables go to
 * stdout, {@code --json} prints the server's JSON instead (one document), and progress and errors
 * go to stderr; the exit code says what happened ({@link ExitCodes}).
 */
@Command(name = "lanes",
    description = "Command-line client of a Lanes server (HTTP API v1): jobs, sessions and batches, backends, usage.",
    subcommands = {JobsCommand.class, SessionsCommand.class, BackendsCommand.class, UsageCommand.class,
        QueueCommand.class},
    footer = ExitCodes.HELP,
    usageHelpAutoWidth = true)
public final class LanesCli implements Callable<Integer> {
  static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
      defaultValue = "${env:LANES_URL:-http://127.0.0.1:8080}",
      description = "Server URL, with or without /api/v1 (env LANES_URL; default ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
      defaultValue = "${env:LANES_TOKEN:-demo-token}",
      description = "API token (env LANES_TOKEN; default: the demo token scripts/run prints).")
  String token;

  @Option(names = "--instance", paramLabel = "CRN", scope = ScopeType.INHERIT,
      defaultValue = "${env:LANES_INSTANCE}",
      description = "Instance to act for, sent as Service-CRN (env LANES_INSTANCE); needed when the token has several.")
  String instance;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print the server's JSON (one document) instead of a table; nothing else goes to stdout.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT, defaultValue = "30",
      description = "Timeout of each HTTP request, in seconds (default ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Spec
  CommandSpec spec;

  private LanesApi api;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line: exit codes, errors on stderr (tests call execute on it). */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new LanesCli());
    cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      err.println("lanes: " + ExitCodes.message(e));
      if (ExitCodes.forException(e) == ExitCodes.UNEXPECTED && Boolean.getBoolean("lanes.debug")) {
        e.printStackTrace(err);
      }
      err.flush();
      return ExitCodes.forException(e);
    });
    return cmd;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return ExitCodes.USAGE;
  }

  LanesApi api() {
    if (api == null) {
      if (!(timeoutSeconds > 0)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--timeout: must be a number of seconds above 0");
      }
      api = new LanesApi(url, token, instance, Duration.ofMillis((long) (timeoutSeconds * 1000)));
    }
    return api;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Whether stderr is a terminal: {@code scripts/lanes} says so with {@code -Dlanes.stderr.tty}. */
  static boolean stderrIsTerminal() {
    return Boolean.getBoolean("lanes.stderr.tty");
  }

  /** {@code --json}: the document, pretty-printed, and nothing else. */
  void printJson(JsonNode n) {
    try {
      out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out().flush();
  }

  /** A usage error of {@code command}: picocli prints it with the command's usage, exit 2. */
  static CommandLine.ParameterException usage(CommandSpec command, String message) {
    return new CommandLine.ParameterException(command.commandLine(), message);
  }
}
