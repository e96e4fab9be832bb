package dev.lanes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.bench.demo.CloseVsCancelStep;
import dev.lanes.bench.demo.FiveLaneBatchStep;
import dev.lanes.bench.demo.Fmt;
import dev.lanes.bench.demo.PubsVsBatchStep;
import dev.lanes.bench.demo.Scale;
import dev.lanes.bench.demo.SessionTtlStep;
import dev.lanes.bench.demo.Step;
import dev.lanes.bench.demo.StepResult;
import dev.lanes.bench.demo.SummaryTable;
import dev.lanes.bench.demo.Tour;
import dev.lanes.client.LanesApi;
import dev.lanes.client.LanesApiException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The tour of scripts/demo: walks a Lanes node through the execution-modes FAQ over its HTTP API
 * (N PUBs in one job vs a batch, the 5-lane batch example, a session's TTLs, close vs cancel),
 * printing what happens as it happens, and ends with a summary table. Every step checks its
 * outcome against the FAQ; exit code 0 when all hold, 1 when one does not, 2 on bad use or when
 * the node cannot be reached.
 */
@Command(name = "lanes-demo", mixinStandardHelpOptions = true,
    description = "Tours a Lanes node through the execution-modes FAQ and checks what it does.")
public final class Demo implements Callable<Integer> {

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "node base URL (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--token", defaultValue = "demo-token", description = "your API token (default: ${DEFAULT-VALUE})")
  String token;

  @Option(names = "--other-token", defaultValue = "other-lab-token",
      description = "another user's token, for step 2 (default: ${DEFAULT-VALUE}, from config/demo.conf); if it is refused, your own is used")
  String otherToken;

  @Option(names = "--backend", description = "backend to tour (default: sim_demo, with --quick sim_demo_quick; both in config/demo.conf)")
  String backend;

  @Option(names = "--quick", description = "the short tour: the backend of config/demo.conf that runs the timing model 20 times faster")
  boolean quick;

  @Option(names = "--own-node", description = "the node is the demo's own (scripts/demo starts it): also check that the instance's usage grew by exactly what the steps were charged")
  boolean ownNode;

  @Option(names = "--timeout", defaultValue = "300", description = "seconds any one wait may take (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Demo()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    String name = backend != null ? backend : quick ? "sim_demo_quick" : "sim_demo";
    LanesApi api = new LanesApi(url, token);
    if (!api.ready()) {
      System.err.println("lanes-demo: " + url + "/health/ready is not 200: is the node running?");
      return 2;
    }
    JsonNode configuration;
    try {
      configuration = api.backendConfiguration(name);
    } catch (LanesApiException e) {
      System.err.println("lanes-demo: backend " + name + ": " + e.getMessage()
          + " (the demo's backends are in config/demo.conf; --backend picks another)");
      return 2;
    }
    Scale scale = Scale.of(configuration);
    int lanes = configuration.path("lanes").asInt(5);
    LanesApi other = new LanesApi(url, otherToken);
    boolean separate = true;
    try {
      other.usage();
    } catch (LanesApiException e) {
      other = api;
      separate = false;
    }
    Tour tour = new Tour(api, other, separate, name, lanes, scale, out, Duration.ofSeconds(timeoutSeconds));

    out.println("Lanes demo: the execution-modes FAQ on " + url + ", backend " + name + " (" + lanes + " lanes)");
    out.println("Timing: " + scale.describe() + ".");
    if (scale.uniform() && Math.abs(scale.factor() - 1) > 1e-9) {
      out.println("        Figures in [brackets] are at full scale (× " + Fmt.factor(scale.factor())
          + "), i.e. what the default model takes. TTLs are not scaled.");
    }
    if (!separate) {
      out.println("Note: --other-token " + otherToken + " was refused; step 2's \"other user\" jobs use your token.");
    }
    JsonNode device = tour.deviceNow();
    if (device.path("lanes_busy").asInt() > 0 || device.path("queue_length").asInt() > 0) {
      out.println("Note: the backend is not idle (" + device.path("lanes_busy").asInt() + " lanes busy, "
          + device.path("queue_length").asInt() + " queued): times will include waiting for other work.");
    }
    double usageBefore = tour.instanceUsageNow();
    long t0 = System.nanoTime();

    List<Step> steps = List.of(new PubsVsBatchStep(), new FiveLaneBatchStep(), new SessionTtlStep(), new CloseVsCancelStep());
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      try {
        s.run(tour);
      } catch (Exception e) {
        String why = e.getClass().getSimpleName() + ": " + e.getMessage();
        out.println("   => the step could not finish: " + why);
        tour.results().add(new StepResult(String.valueOf(i + 1), s.name(), "-", "-", "did not finish: " + why, false));
      }
    }

    // The ledger (R27): what GET /instances/usage says the demo instance consumed during the tour.
    double charged = tour.charged();
    double delta = Double.NaN;
    long deadline = System.nanoTime() + 5_000_000_000L;
    do {
      delta = tour.instanceUsageNow() - usageBefore;
      if (Math.abs(delta - charged) < 0.01) {
        break;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    boolean ledgerOk = !ownNode || Math.abs(delta - charged) < 0.01;
    String ledgerOutcome = Math.abs(delta - charged) < 0.01
        ? "= the sum of the costs above (R27)"
        : String.format(Locale.ROOT, "the steps' costs add up to %.3f s%s", charged,
            ownNode ? "" : " (other work on the instance?)");
    tour.results().add(new StepResult("-", "instance usage (GET /instances/usage)", "",
        String.format(Locale.ROOT, "+%.3f s", delta), ledgerOutcome, ledgerOk));

    double total = (System.nanoTime() - t0) / 1e9;
    out.println();
    out.println("== Summary ==");
    out.println("Timing: " + scale.describe() + (scale.uniform() && Math.abs(scale.factor() - 1) > 1e-9
        ? "; [full scale] = × " + Fmt.factor(scale.factor()) : "") + ".");
    out.println("time: from the server's timestamps (first job running to last finished; sessions: first start to close);"
        + " cost: quantum s from job usage (R25), wall-clock s from session elapsed_time (R26).");
    out.println();
    out.print(SummaryTable.render(tour.results()));
    long failed = tour.results().stream().filter(r -> !r.ok()).count();
    out.println();
    out.printf(Locale.ROOT, "%s (tour took %.0f s)%n",
        failed == 0 ? "Every step did what the FAQ says." : failed + " row(s) NOT as the FAQ says: see FAIL above.", total);
    return failed == 0 ? 0 : 1;
  }
}
