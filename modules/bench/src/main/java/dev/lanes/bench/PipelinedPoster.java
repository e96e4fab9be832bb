package dev.lanes.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * One keep-alive HTTP/1.1 connection that keeps up to {@code window} POSTs in flight (HTTP/1.1
 * pipelining: requests go out back to back, answers come back in the same order). With a window
 * of 1 it is an ordinary sequential client. The JDK's HttpClient never pipelines, and a load of
 * "N keep-alive clients" that each wait for every answer before the next request measures round
 * trips, not the server; this lets the submit workload do both with the same code.
 *
 * <p>Deliberately small: answers must carry {@code Content-Length} (Lanes' answers do); anything
 * else is a transport error for the whole connection.
 */
final class PipelinedPoster implements AutoCloseable {
  /** What one answer was: status, body, and microseconds from its request's write to its answer's end. */
  record Answer(int tag, int status, String body, long micros) {}

  private record Sent(int tag, long nanos) {}

  private static final Sent END = new Sent(-1, 0);

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final Semaphore window;
  private final BlockingQueue<Sent> sentAt;
  private final byte[] head;

  PipelinedPoster(URI base, String path, String token, String instance, int window) throws IOException {
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.window = new Semaphore(window);
    this.sentAt = new ArrayBlockingQueue<>(window + 1);
    String host = base.getHost() + ":" + base.getPort();
    this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token + "\r\n"
        + (instance == null ? "" : "Service-CRN: " + instance + "\r\n")
        + "Content-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends one POST once the window has room; flushes only when the window is full or
   * {@code flush} is set, so back-to-back requests share TCP segments.
   */
  void send(int tag, byte[] body, boolean flush) throws IOException, InterruptedException {
    if (!window.tryAcquire()) {
      out.flush(); // the answers we wait for may be stuck behind our own unflushed requests
      window.acquire();
    }
    sentAt.add(new Sent(tag, System.nanoTime()));
    out.write(head);
    out.write(Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
    out.write('\r');
    out.write('\n');
    out.write(body);
    if (flush) {
      out.flush();
    }
  }

  /** No more requests: {@link #receive()} returns null once every answer before this was read. */
  void end() throws IOException {
    out.flush();
    sentAt.add(END);
  }

  /** After a failed send: lets the reader stop instead of waiting for answers that never come. */
  void abort() {
    sentAt.offer(END);
  }

  /** The next answer, in request order, or null after {@link #end()}; call from one reader thread only. */
  Answer receive() throws IOException, InterruptedException {
    Sent sent = sentAt.take();
    if (sent == END) {
      return null;
    }
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed by the server");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    int length = -1;
    String h;
    while ((h = line()) != null && !h.isEmpty()) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        String name = h.substring(0, colon).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Integer.parseInt(h.substring(colon + 1).trim());
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          throw new IOException("unsupported Transfer-Encoding: " + h);
        }
      }
    }
    if (length < 0) {
      throw new IOException("answer without Content-Length (status " + status + ")");
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new IOException("connection closed in the middle of an answer");
    }
    window.release();
    return new Answer(sent.tag(), status, new String(body, StandardCharsets.UTF_8),
        Math.max(1, (System.nanoTime() - sent.nanos()) / 1000));
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
