package dev.lanes.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A tiny JDK HTTP server on an ephemeral port that answers as scripted and records what it saw. */
abstract class StubServerTest {
  static final String CRN = "crn:v1:lanes:public:quantum:us-east:a/demo:demo::";

  /** One request as the stub saw it. */
  record Seen(String method, String path, String query, Map<String, List<String>> headers, String body,
      int remotePort, long atNanos) {
    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** A scripted answer. */
  record Answer(int status, String body) {}

  HttpServer server;
  final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  /** Answers by path, consumed in order; the last one repeats. */
  final Map<String, Deque<Answer>> script = Collections.synchronizedMap(new java.util.HashMap<>());
  String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  void on(String path, Answer... answers) {
    script.put(path, new ArrayDeque<>(List.of(answers)));
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] in = ex.getRequestBody().readAllBytes();
    String path = ex.getRequestURI().getPath();
    seen.add(new Seen(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
        Map.copyOf(ex.getRequestHeaders()), new String(in, StandardCharsets.UTF_8),
        ex.getRemoteAddress().getPort(), System.nanoTime()));
    Answer a;
    synchronized (script) {
      Deque<Answer> q = script.get(path);
      a = q == null ? new Answer(404, "{\"errors\":[{\"code\":404,\"message\":\"no such path in stub: " + path
          + "\",\"more_info\":\"\"}],\"trace\":\"t\"}") : (q.size() > 1 ? q.poll() : q.peek());
    }
    if (a.body() == null) {
      ex.sendResponseHeaders(a.status(), -1);
    } else {
      byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(a.status(), out.length);
      ex.getResponseBody().write(out);
    }
    ex.close();
  }

  static String job(String id, String status) {
    return "{\"id\":\"" + id + "\",\"backend\":\"bench\",\"status\":\"" + status + "\",\"state\":{\"status\":\""
        + status + "\",\"reason\":null,\"reason_code\":null}}";
  }
}
