package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static dev.lanes.server.TestNodes.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in a real browser (issue 7, item 3): Debian's chromium, driven by Selenium
 * through chromedriver, opens the page of a node running in this JVM, sees the lanes free, then
 * fill with the jobs submitted over HTTP, the queue behind them, a session's TTL counting down
 * and usage per instance; and saves a screenshot to {@code target/dashboard.png}.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} it is skipped, unless
 * {@code LANES_BROWSER_REQUIRED=1} (environment or system property; {@code .ci/run} sets it
 * after installing both), when it fails. Selenium is pointed at both binaries, so it never looks
 * for (or downloads) a browser or driver of its own. Every wait is a bounded wait for what the
 * page shows, never a sleep taken as an assertion.
 */
@DisplayName("Dashboard in a real browser (issue 7, item 3)")
class DashboardBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Generous: the machine may be busy with other builds; nothing here measures speed. */
  static final Duration WAIT = Duration.ofSeconds(30);

  static Main.Node node;
  static ChromeDriverService service;
  static WebDriver driver;
  static Path profile;

  @BeforeAll
  static void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String why = "issue 7, item 3: the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
          + " (Debian packages chromium and chromium-driver; .ci/run installs them)";
      if (browserRequired()) {
        fail(why + ", and LANES_BROWSER_REQUIRED=1 says it must run");
      }
      Assumptions.assumeTrue(false, why + ": skipped");
    }
    node = Main.Node.start(TestNodes.parse(TestNodes.tempDir().resolve("data"), 0));
    profile = Files.createTempDirectory("lanes-chromium");
    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1500,2000", "--user-data-dir=" + profile);
    driver = new ChromeDriver(service, options);
  }

  static boolean browserRequired() {
    for (String v : Arrays.asList(System.getenv("LANES_BROWSER_REQUIRED"), System.getProperty("LANES_BROWSER_REQUIRED"))) {
      if (v != null && (v.equals("1") || v.equalsIgnoreCase("true"))) {
        return true;
      }
    }
    return false;
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (node != null) {
      node.stop();
    }
  }

  String base() {
    return "http://127.0.0.1:" + node.port();
  }

  /** Waits (bounded) until {@code until} answers non-null or true; the page re-renders, so stale elements are retried. */
  static <T> T await(String what, Function<WebDriver, T> until) {
    return new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(what)
        .until(until);
  }

  /** Runs a script in the page: one consistent read of what it shows. */
  @SuppressWarnings("unchecked")
  static <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Each lane of a backend as the page shows it: mode, job id, session id, and the holder text. */
  static List<Map<String, String>> lanes(String backend) {
    return js("return Array.from(document.querySelectorAll('.lane[data-backend=\"' + arguments[0] + '\"]'))"
        + ".map(e => ({lane: e.dataset.lane, mode: e.dataset.mode, job: e.dataset.jobId, session: e.dataset.sessionId,"
        + " text: e.querySelector('.holder').textContent}));", backend);
  }

  static List<String> queuedJobs(String backend) {
    return js("return Array.from(document.querySelectorAll('.backend[data-backend=\"' + arguments[0] + '\"] tr.queued'))"
        + ".map(e => e.dataset.jobId);", backend);
  }

  /** How the page writes a job id on screen: its last 8 hex digits. */
  static String shortId(String id) {
    String hex = id.replace("-", "");
    return hex.substring(hex.length() - 8);
  }

  @Test
  @DisplayName("issue 7, item 3: lanes fill with submitted jobs, the queue, a session's TTL counting down and usage show live; screenshot saved")
  void lanesFillLiveAsJobsAreSubmitted() throws Exception {
    int port = node.port();

    // The page needs no token to load; it asks for one, and an ordinary user's is refused.
    driver.get(base() + "/");
    await("the page asks for a token", d -> d.findElement(By.id("conn")).getText().contains("token"));
    driver.findElement(By.id("token")).sendKeys("alice-token");
    driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    await("a user's token is refused as not an admin's",
        d -> "unauthorized".equals(d.findElement(By.id("conn")).getAttribute("data-state")));

    // The admin token in the fragment: taken, kept in the tab, and out of the address bar.
    driver.get(base() + "/dashboard/#token=admin-token");
    await("the page is live", d -> "live".equals(d.findElement(By.id("conn")).getAttribute("data-state")));
    assertFalse(driver.getCurrentUrl().contains("token"), driver.getCurrentUrl());

    // Before any work, every lane of "slow" is free.
    await("backend slow shows 2 free lanes", d -> {
      List<Map<String, String>> l = lanes("slow");
      return l.size() == 2 && l.stream().allMatch(x -> x.get("mode").equals("free") && x.get("job").isEmpty());
    });
    assertEquals(5, lanes("five").size());

    // A finished job, so its instance has usage to show.
    String done = submit(port, "alice-token", descriptorJob("fast"));
    awaitJob(port, "alice-token", done, status("Completed"), WAIT);

    // "slow": 3 s of pre-processing per circuit, so 20 circuits hold a lane for a minute; two
    // lanes, three jobs: two run, one waits.
    List<String> slow = new ArrayList<>();
    slow.add(submit(port, "alice-token", descriptorJob("slow", 20)));
    slow.add(submit(port, "bob-token", descriptorJob("slow", 20)));
    slow.add(submit(port, "alice-token", descriptorJob("slow", 20)));
    // A dedicated session on "excl" with a minute-long job (100 ms per circuit), and a batch on "five".
    String session = openSession(port, "alice-token", "dedicated", "excl", "\"max_ttl\":600");
    String sessionJob = submit(port, "alice-token", with(descriptorJob("excl", 600), "\"session_id\":\"" + session + "\""));
    String batch = openSession(port, "bob-token", "batch", "five", "");
    String batchJob = submit(port, "bob-token", with(descriptorJob("five", 600), "\"session_id\":\"" + batch + "\""));

    // The lanes of "slow" fill with two of those jobs; the third is in its queue.
    await("slow's lanes hold two of the submitted jobs and its queue the third", d -> {
      List<Map<String, String>> l = lanes("slow");
      Set<String> shown = new HashSet<>();
      for (Map<String, String> x : l) {
        if (!x.get("mode").equals("job")) {
          return false;
        }
        shown.add(x.get("job"));
      }
      List<String> queued = queuedJobs("slow");
      shown.addAll(queued);
      return queued.size() == 1 && shown.equals(new HashSet<>(slow));
    });
    for (Map<String, String> x : lanes("slow")) {
      assertTrue(x.get("text").contains(shortId(x.get("job"))), "the holder is labelled: " + x);
    }
    String queued = queuedJobs("slow").get(0);
    WebElement row = driver.findElement(By.cssSelector(".backend[data-backend='slow'] tr.queued[data-job-id='" + queued + "']"));
    assertTrue(row.getText().contains(shortId(queued)), row.getText());
    assertTrue(row.getText().contains("fair share"), "the queue says why: " + row.getText());
    await("the timeline draws the current holders of slow",
        d -> d.findElements(By.cssSelector(".backend[data-backend='slow'] .seg.current")).size() == 2);

    // The session's job holds a lane of "excl" as a dedicated session; the batch's a lane of "five".
    await("a lane of excl is held by the session's job", d -> lanes("excl").stream().anyMatch(x ->
        x.get("mode").equals("dedicated") && x.get("job").equals(sessionJob) && x.get("session").equals(session)));
    await("a lane of five is held by the batch's job", d -> lanes("five").stream().anyMatch(x ->
        x.get("mode").equals("batch") && x.get("job").equals(batchJob) && x.get("session").equals(batch)));

    // The session is listed, active, and its max TTL counts down in the page.
    By maxTtl = By.cssSelector("tr.session[data-session-id='" + session + "'] .countdown[data-kind='max']");
    String first = await("the session's max TTL shows a countdown", d -> {
      String t = d.findElement(maxTtl).getText();
      return t.matches("\\d+:\\d\\d") ? t : null;
    });
    await("the countdown moves on from " + first, d -> {
      String t = d.findElement(maxTtl).getText();
      return t.matches("\\d+:\\d\\d") && !t.equals(first);
    });
    assertTrue(driver.findElement(By.cssSelector("tr.session[data-session-id='" + session + "']")).getText().contains("active"));

    // Usage per instance: every configured one, and the finished job's charge on alice's.
    await("usage shows alice's charge", d -> {
      String consumed = d.findElement(By.cssSelector("tr.usage[data-instance='" + TestNodes.A + "']")).getAttribute("data-consumed");
      return consumed != null && !consumed.isEmpty() && Double.parseDouble(consumed) > 0;
    });
    for (String instance : List.of(TestNodes.A, TestNodes.B, "crn:test:open")) {
      assertEquals(1, driver.findElements(By.cssSelector("tr.usage[data-instance='" + instance + "']")).size(), instance);
    }

    // What an operator would see, saved for a person to look at: the last minute of the timeline.
    new Select(driver.findElement(By.id("window"))).selectByValue("60");
    await("the timeline's axis spans a minute", d -> d.findElement(By.cssSelector(".backend[data-backend='slow'] .axis"))
        .getText().contains("1 min"));
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Path shot = Path.of("target", "dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, png);
    assertTrue(Files.size(shot) > 10_000, "a screenshot of the page, not an empty image: " + Files.size(shot) + " bytes");
    byte[] magic = Arrays.copyOf(Files.readAllBytes(shot), 8);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic);
    System.out.println("issue 7, item 3: dashboard screenshot at " + new File(shot.toString()).getAbsolutePath());
  }
}
