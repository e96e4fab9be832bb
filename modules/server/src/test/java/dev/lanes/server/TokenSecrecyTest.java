package dev.lanes.server;

import static dev.lanes.server.TestNodes.A;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.LanesSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, item 7: tokens are secrets. A token configured by its SHA-256 works like any other,
 * and no token, valid or not, in either header form, ever reaches the logs (every level, Akka's
 * included), an error body, the lines {@code scripts/run} prints, or a configuration error.
 */
@DisplayName("Tokens are never logged (issue 8, item 7)")
class TokenSecrecyTest {
  /** Recognizable, so that any copy of them in a log line is found. */
  static final String HASHED = "hashed-Secret-7Q2Z-valid";
  static final String PLAIN = "plain-Secret-9K4W-valid";
  static final String INVALID = "wrong-Secret-3M8X-invalid";
  static final List<String> SECRETS = List.of(HASHED, PLAIN, INVALID);

  static String config(java.nio.file.Path dir) {
    return TestNodes.config(dir, 0).replace("tokens = [", "tokens = [\n"
        + " { token-sha256 = \"" + LanesSettings.sha256Hex(HASHED) + "\", user = \"hana\", instances = [\"" + A + "\"] }\n"
        + " { token = \"" + PLAIN + "\", user = \"paul\", instances = [\"" + A + "\"], admin = true }\n");
  }

  @Test
  @DisplayName("issue 8, item 7: requests with valid, invalid and malformed tokens, and errors, log no token")
  void noTokenReachesTheLogsOrAnErrorBody() throws Exception {
    List<ILoggingEvent> events = new ArrayList<>();
    Main.Node node;
    int seen;
    List<HttpResponse<String>> answers = new ArrayList<>();
    try (Capture capture = Capture.everything(events)) {
      node = Main.Node.start(ConfigFactory.parseString(config(TestNodes.tempDir())));
      // DEBUG once started: through recovery it would slow the start past its timeouts
      capture.debug();
      node.system().classicSystem().eventStream().setLogLevel(akka.event.Logging.DebugLevel());
      try {
        int port = node.port();
        // token-sha256 works, in both header forms, as a plaintext token does
        for (String auth : List.of("Bearer " + HASHED, "apikey " + HASHED, "bearer " + PLAIN, "apikey " + PLAIN)) {
          HttpResponse<String> r = send(call(port, "/api/v1/jobs", auth));
          assertEquals(200, r.statusCode(), auth.substring(0, 6) + ": " + r.body());
          answers.add(r);
          answers.add(send(call(port, "/api/v1/jobs", auth).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(descriptorJob("fast")))));
          assertEquals(200, answers.get(answers.size() - 1).statusCode(), answers.get(answers.size() - 1).body());
          // errors on the way: bad JSON, not JSON, unknown object, unknown path, wrong method, an admin call
          answers.add(send(call(port, "/api/v1/jobs", auth).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{not json"))));
          answers.add(send(call(port, "/api/v1/sessions", auth).header("Content-Type", "text/plain")
              .POST(HttpRequest.BodyPublishers.ofString("x"))));
          answers.add(send(call(port, "/api/v1/jobs/no-such-job", auth)));
          answers.add(send(call(port, "/api/v1/nothing-here", auth)));
          answers.add(send(call(port, "/api/v1/jobs", auth).PUT(HttpRequest.BodyPublishers.ofString("{}"))));
          answers.add(send(call(port, "/api/v1/admin/backends/fast/queue", auth).header("Service-CRN", "crn:x:not-held")));
          answers.add(send(call(port, "/metrics", auth)));
        }
        // wrong tokens: unknown, in both forms; malformed headers Akka itself cannot parse; too long
        for (String auth : List.of("Bearer " + INVALID, "apikey " + INVALID, INVALID, "Basic " + INVALID,
            "Bearer " + INVALID + " and more", "Bearer \"" + INVALID + "\"", "Bearer " + INVALID + "(),;=",
            "Bearer " + INVALID + "x".repeat(20_000))) {
          HttpResponse<String> r = send(call(port, "/api/v1/jobs", auth));
          assertTrue(r.statusCode() == 401 || r.statusCode() == 431 || r.statusCode() == 400,
              "a wrong token: " + r.statusCode() + " " + r.body());
          answers.add(r);
          answers.add(send(call(port, "/api/v1/jobs", auth).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(descriptorJob("fast")))));
          answers.add(send(call(port, "/metrics", auth)));
        }
      } finally {
        node.stop();
      }
      seen = events.size();
    }
    assertTrue(seen > 0, "the capture saw the node's logs");
    for (ILoggingEvent e : events) {
      String text = render(e);
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), "a log line carries a token: " + text);
      }
    }
    for (HttpResponse<String> r : answers) {
      for (String secret : SECRETS) {
        assertFalse(r.body().contains(secret) || r.headers().toString().contains(secret),
            "an answer echoes a token: " + r.statusCode() + " " + r.body());
      }
    }
  }

  @Test
  @DisplayName("issue 8, item 7: a bad token entry stops the node with a message naming the entry, not the token")
  void aBadTokenEntryIsNamedNotEchoed() throws Exception {
    List<ILoggingEvent> events = new ArrayList<>();
    try (Capture capture = Capture.everything(events)) {
      String both = TestNodes.config(TestNodes.tempDir(), 0).replace("tokens = [", "tokens = [\n"
          + " { token = \"" + PLAIN + "\", token-sha256 = \"" + LanesSettings.sha256Hex(PLAIN) + "\", user = x, instances = [] }\n");
      ConfigException e = assertThrows(ConfigException.class, () -> Main.Node.start(ConfigFactory.parseString(both)));
      assertTrue(e.getMessage().contains("lanes.tokens[0]"), e.getMessage());
      assertFalse(e.getMessage().contains(PLAIN) || e.getMessage().contains(LanesSettings.sha256Hex(PLAIN)), e.getMessage());
    }
    events.forEach(ev -> assertFalse(render(ev).contains(PLAIN), render(ev)));
  }

  @Test
  @DisplayName("issue 8, item 7: scripts/run prints the built-in demo token only, never a configured one")
  void theReadyLinesShowOnlyTheDemoToken() throws Exception {
    LanesSettings demo = LanesSettings.create(LanesSettings.load(ConfigFactory.empty()));
    String shown = String.join("\n", Main.readyLines(demo, 8080));
    assertTrue(shown.contains("Token: demo-token"), shown);
    assertTrue(shown.contains("#token=demo-token"), shown);
    LanesSettings own = LanesSettings.create(LanesSettings.load(ConfigFactory.parseString(config(TestNodes.tempDir()))));
    String lines = String.join("\n", Main.readyLines(own, 8080));
    assertTrue(lines.contains("Lanes is ready at") && lines.contains("Dashboard: http://"), lines);
    for (String secret : List.of(HASHED, PLAIN, "alice-token", "admin-token", LanesSettings.sha256Hex(HASHED))) {
      assertFalse(lines.contains(secret), lines);
    }
  }

  private static HttpRequest.Builder call(int port, String path, String authorization) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", authorization);
  }

  /** Everything a log line can carry: message, arguments, MDC, exceptions and their causes. */
  private static String render(ILoggingEvent e) {
    StringBuilder b = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage())
        .append(' ').append(e.getMDCPropertyMap());
    if (e.getArgumentArray() != null) {
      for (Object a : e.getArgumentArray()) {
        b.append(' ').append(a);
      }
    }
    for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      b.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return b.toString();
  }

  /**
   * Every log event into a list: INFO and above, and with {@link #debug} DEBUG of Akka (its HTTP
   * server included) and Lanes; the console appenders are detached meanwhile, and all is put back
   * on close. Storage's DEBUG (H2, Hikari, Slick) stays off: it never sees an HTTP header.
   */
  private record Capture(Logger root, Level rootLevel, Logger akka, Level akkaLevel, Logger lanes, Level lanesLevel,
      ListAppender<ILoggingEvent> list, List<Appender<ILoggingEvent>> detached) implements AutoCloseable {
    static Capture everything(List<ILoggingEvent> into) {
      Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      Logger akka = (Logger) LoggerFactory.getLogger("akka");
      Logger lanes = (Logger) LoggerFactory.getLogger("dev.lanes");
      List<Appender<ILoggingEvent>> detached = new ArrayList<>();
      for (Iterator<Appender<ILoggingEvent>> i = root.iteratorForAppenders(); i.hasNext(); ) {
        detached.add(i.next());
      }
      detached.forEach(root::detachAppender);
      ListAppender<ILoggingEvent> list = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
          synchronized (into) {
            into.add(e);
          }
        }
      };
      list.setContext(root.getLoggerContext());
      list.start();
      root.addAppender(list);
      Capture c = new Capture(root, root.getLevel(), akka, akka.getLevel(), lanes, lanes.getLevel(), list, detached);
      root.setLevel(Level.INFO);
      akka.setLevel(Level.INFO);
      lanes.setLevel(Level.DEBUG);
      return c;
    }

    void debug() {
      akka.setLevel(Level.DEBUG);
    }

    @Override
    public void close() {
      root.setLevel(rootLevel);
      akka.setLevel(akkaLevel);
      lanes.setLevel(lanesLevel);
      root.detachAppender(list);
      list.stop();
      detached.forEach(root::addAppender);
    }
  }
}
