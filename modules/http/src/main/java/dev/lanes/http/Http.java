package dev.lanes.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import akka.http.scaladsl.model.EntityStreamException;

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
        .handle((done, failure) -> {
          if (failure != null) {
            throw unreadable(Errors.unwrap(failure), millis);
          }
          return body.result();
        });
  }

  /**
   * Why a body could not be read, as the client's fault (issue 8, item 2): too slow is a 408 (it
   * was a 503 "the scheduler did not answer", or akka-http's own 503 once its request-timeout came
   * first); a broken chunked encoding or a truncated body is a 400. Anything else stays what it was.
   */
  private static RuntimeException unreadable(Throwable e, long millis) {
    if (e instanceof TimeoutException) {
      return new ApiException(408, "request body not received within " + millis / 1000.0
          + " s (lanes.http.body-read-timeout): send it faster, or a smaller one");
    }
    if (e instanceof EntityStreamException || e instanceof akka.http.scaladsl.model.IllegalRequestException) {
      return ApiException.badRequest("request body unreadable: " + e.getMessage());
    }
    return e instanceof RuntimeException r ? r : new CompletionException(e);
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
