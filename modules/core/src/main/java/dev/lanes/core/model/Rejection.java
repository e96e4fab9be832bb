package dev.lanes.core.model;

/**
 * Why a request is refused: an HTTP-like status, the field or limit concerned, and a message that
 * names it (R4: "a 4xx with a message naming the limit").
 */
public record Rejection(int status, String field, String message) {
  public static Rejection badRequest(String field, String message) {
    return new Rejection(400, field, message);
  }

  public static Rejection notFound(String field, String message) {
    return new Rejection(404, field, message);
  }

  public static Rejection conflict(String field, String message) {
    return new Rejection(409, field, message);
  }

  public static Rejection tooLarge(String field, String message) {
    return new Rejection(413, field, message);
  }
}
