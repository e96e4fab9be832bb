package dev.lanes.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import akka.stream.Materializer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Request checks shared by the routes that read a body. */
final class Http {
  private Http() {}

  /** api.md: a body that is not JSON is 415. */
  static void requireJson(HttpRequest req) {
    if (!req.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      throw new ApiException(415, "Content-Type must be application/json, got "
          + req.entity().getContentType().mediaType());
    }
  }

  /**
   * How far past the limit a declared body is still read (and dropped) before the 413: 1 MiB.
   * Answering while the client is still writing makes the server close a connection with unread
   * bytes in it, which resets it, and the client may then read the reset instead of the 413 (seen in
   * CI). Larger bodies are refused at once: their senders get what TCP gives them.
   */
  static final long DRAIN_ALLOWANCE_BYTES = 1024 * 1024;

  /**
   * R4: a body declared larger than the limit is refused before a byte of it is parsed. The stage
   * completes when the body may be read, or fails with the 413 once a slightly oversized body has
   * been drained (see {@link #DRAIN_ALLOWANCE_BYTES}). The drain lifts the entity's own size limit
   * (akka-http's max-content-length, which would stop it at the limit): the bound here is ours.
   */
  private static CompletionStage<Void> refuseDeclaredOversize(HttpRequest req, long limit, Materializer mat) {
    var length = req.entity().getContentLengthOption();
    if (length.isEmpty() || length.getAsLong() <= limit) {
      return CompletableFuture.completedFuture(null);
    }
    ApiException tooLarge = new ApiException(413, "request body of " + length.getAsLong()
        + " bytes is larger than jobs.max-payload (" + limit + " bytes)");
    if (length.getAsLong() - limit > DRAIN_ALLOWANCE_BYTES) {
      return CompletableFuture.failedFuture(tooLarge);
    }
    return req.entity().withoutSizeLimit().discardBytes(mat).completionStage()
        .<Void>handle((done, error) -> { throw tooLarge; });
  }

  /** The whole body, within {@code limit} bytes (413 past it, declared or not) and {@code millis}. */
  static CompletionStage<HttpEntity.Strict> readBody(HttpRequest req, long limit, long millis, Materializer mat) {
    return refuseDeclaredOversize(req, limit, mat)
        .thenCompose(fits -> req.entity().withSizeLimit(limit).toStrict(millis, mat));
  }
}
