package dev.lanes.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Request checks shared by the routes that read a body. */
final class Http {
  private Http() {}

  /**
   * How far past the limit a body is still read (and dropped) before the 413: 1 MiB. Answering
   * while the client is still writing makes the server close a connection with unread bytes in it,
   * which resets it, and the client may then read the reset instead of the 413 (seen in CI). A
   * body declared larger than this is refused at once: its sender gets what TCP gives it.
   */
  static final long DRAIN_ALLOWANCE_BYTES = 1024 * 1024;

  /** api.md: a body that is not JSON is 415. */
  static void requireJson(HttpRequest req) {
    if (!req.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      throw new ApiException(415, "Content-Type must be application/json, got "
          + req.entity().getContentType().mediaType());
    }
  }

  /**
   * The whole body, within {@code limit} bytes and {@code millis} (R4). Past the limit, declared
   * or not, no more is kept and the answer is a 413, given once the rest of the body has been read
   * and dropped (up to {@link #DRAIN_ALLOWANCE_BYTES}), so the connection stays usable. The
   * entity's own size limit (akka-http's max-content-length) is lifted: the bound here is ours.
   */
  static CompletionStage<ByteString> readBody(HttpRequest req, long limit, long millis, Materializer mat) {
    var declared = req.entity().getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > limit + DRAIN_ALLOWANCE_BYTES) {
      return CompletableFuture.failedFuture(tooLarge(declared.getAsLong(), limit));
    }
    BoundedBody body = new BoundedBody(limit);
    return req.entity().withoutSizeLimit().getDataBytes()
        .completionTimeout(Duration.ofMillis(millis))
        .takeWhile(body::offer)
        .runWith(Sink.ignore(), mat)
        .thenApply(done -> body.result());
  }

  private static ApiException tooLarge(long length, long limit) {
    return new ApiException(413, "request body of " + length + " bytes is larger than jobs.max-payload ("
        + limit + " bytes)");
  }

  /** Keeps a body's first {@code limit} bytes and counts the rest. One per request, used by one stream. */
  private static final class BoundedBody {
    private final long limit;
    private final ByteStringBuilder kept = ByteString.createBuilder();
    private long seen;

    BoundedBody(long limit) {
      this.limit = limit;
    }

    /** Takes a chunk; false once so much has come past the limit that reading on is pointless. */
    boolean offer(ByteString chunk) {
      seen += chunk.size();
      if (seen <= limit) {
        kept.append(chunk);
      }
      return seen <= limit + DRAIN_ALLOWANCE_BYTES;
    }

    ByteString result() {
      if (seen > limit) {
        throw seen > limit + DRAIN_ALLOWANCE_BYTES
            ? new ApiException(413, "request body is larger than jobs.max-payload (" + limit + " bytes)")
            : tooLarge(seen, limit);
      }
      return kept.result();
    }
  }
}
