package dev.lanes.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;

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

  /** R4: a body declared larger than the limit is refused before a byte of it is read. */
  static void refuseDeclaredOversize(HttpRequest req, long limit) {
    var length = req.entity().getContentLengthOption();
    if (length.isPresent() && length.getAsLong() > limit) {
      throw new ApiException(413, "request body of " + length.getAsLong()
          + " bytes is larger than jobs.max-payload (" + limit + " bytes)");
    }
  }
}
