package dev.lanes.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, byte for byte as the test writes it: what java.net.http refuses to
 * send (invalid UTF-8 in headers, malformed request lines, duplicate or conflicting
 * Content-Length, raw paths such as {@code /a/..%2F}). One connection per request.
 */
final class RawHttp {
  private RawHttp() {}

  /** A response: status, headers (last value wins, names lower case) and the body's bytes. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }

  /** Builds a request: the request line, then headers as given (no Host unless added), then the body. */
  static final class Request {
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private byte[] body = new byte[0];
    private boolean contentLength = true;
    private String describe;

    Request(String method, String target) {
      this(RawHttp.bytes(method + " " + target + " HTTP/1.1"));
      describe = method + " " + target;
    }

    /** A request line of arbitrary bytes (CRLF added). */
    Request(byte[] requestLine) {
      head.writeBytes(requestLine);
      head.writeBytes(RawHttp.bytes("\r\n"));
      describe = new String(requestLine, StandardCharsets.ISO_8859_1);
    }

    Request header(String name, String value) {
      return header(RawHttp.bytes(name + ": " + value));
    }

    /** A header line of arbitrary bytes (CRLF added). */
    Request header(byte[] line) {
      head.writeBytes(line);
      head.writeBytes(RawHttp.bytes("\r\n"));
      return this;
    }

    Request body(byte[] b) {
      body = b;
      return this;
    }

    Request body(String s) {
      return body(s.getBytes(StandardCharsets.UTF_8));
    }

    /** No Content-Length header is added (the caller sets its own, or none). */
    Request noContentLength() {
      contentLength = false;
      return this;
    }

    byte[] toBytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(head.toByteArray());
      out.writeBytes(RawHttp.bytes("Host: 127.0.0.1\r\nConnection: close\r\n"));
      if (contentLength && (body.length > 0)) {
        out.writeBytes(RawHttp.bytes("Content-Length: " + body.length + "\r\n"));
      }
      out.writeBytes(RawHttp.bytes("\r\n"));
      out.writeBytes(body);
      return out.toByteArray();
    }

    @Override
    public String toString() {
      return describe;
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static Response send(int port, Request r) throws IOException {
    return send(port, r.toBytes());
  }

  /** Writes the bytes, then reads one response (the server closes the connection after it). */
  static Response send(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      return read(s.getInputStream());
    }
  }

  static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
        if (complete(all.toByteArray())) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("no complete response in 30 s; got: " + all.toString(StandardCharsets.ISO_8859_1), e);
    }
    return parse(all.toByteArray());
  }

  private static boolean complete(byte[] b) {
    int end = headEnd(b);
    if (end < 0) {
      return false;
    }
    Map<String, String> h = headers(new String(b, 0, end, StandardCharsets.ISO_8859_1));
    String length = h.get("content-length");
    return length != null && b.length - end - 4 >= Long.parseLong(length.trim());
  }

  private static int headEnd(byte[] b) {
    for (int i = 0; i + 3 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, String> headers(String head) {
    Map<String, String> h = new TreeMap<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return h;
  }

  private static Response parse(byte[] b) throws IOException {
    int end = headEnd(b);
    if (end < 0) {
      throw new IOException("no HTTP response head in: " + new String(b, StandardCharsets.ISO_8859_1));
    }
    String head = new String(b, 0, end, StandardCharsets.ISO_8859_1);
    String statusLine = head.split("\r\n", 2)[0];
    String[] parts = statusLine.split(" ");
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    Map<String, String> h = headers(head);
    byte[] rest = java.util.Arrays.copyOfRange(b, end + 4, b.length);
    if ("chunked".equalsIgnoreCase(h.getOrDefault("transfer-encoding", ""))) {
      rest = dechunk(rest);
    } else if (h.containsKey("content-length")) {
      rest = java.util.Arrays.copyOf(rest, (int) Math.min(rest.length, Long.parseLong(h.get("content-length").trim())));
    }
    return new Response(Integer.parseInt(parts[1]), h, rest);
  }

  private static byte[] dechunk(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < b.length) {
      int lineEnd = i;
      while (lineEnd + 1 < b.length && !(b[lineEnd] == '\r' && b[lineEnd + 1] == '\n')) {
        lineEnd++;
      }
      String size = new String(b, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      int start = lineEnd + 2;
      out.write(b, start, Math.min(n, b.length - start));
      i = start + n + 2;
    }
    return out.toByteArray();
  }
}
