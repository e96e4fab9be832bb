package dev.lanes.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** JSON in and out, timestamps as ISO-8601 UTC with milliseconds, and api.md's error body. */
public final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Json() {}

  public static String time(Instant t) {
    return t == null ? null : TIME.format(t);
  }

  /** An insertion-ordered map, so answers read in the order api.md lists their fields. */
  public static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  public static HttpResponse ok(Object body) {
    return response(200, body);
  }

  public static HttpResponse response(int status, Object body) {
    try {
      byte[] bytes = body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
          : MAPPER.writeValueAsBytes(body);
      return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("answer does not serialise", e);
    }
  }

  public static HttpResponse noContent() {
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
  }

  /** {@code {"errors":[{"code","message","more_info"}],"trace"}} — on every error (api.md). */
  public static HttpResponse error(int status, String message) {
    Map<String, Object> err = obj("code", status, "message", message,
        "more_info", "see design/api.md of Lanes for the call and its fields");
    return response(status, obj("errors", List.of(err), "trace", UUID.randomUUID().toString()));
  }

  /**
   * How deep a request body may nest arrays and objects. A job's params need about ten levels;
   * a tree thousands deep parses (Jackson 2.13 builds it without recursion, and has no
   * StreamReadConstraints yet) but overflows the stack of whatever walks it later, e.g. when the
   * params are written back as text (issue 8, item 2: 500 for 30k nested {"a":[...]}).
   */
  static final int MAX_DEPTH = 100;

  /** Parses a request body; malformed or absurdly nested JSON is a 400, never a 5xx. */
  public static JsonNode parse(byte[] body) {
    try (JsonParser p = new DepthLimited(MAPPER.getFactory().createParser(body))) {
      JsonNode n = MAPPER.readTree(p);
      if (n == null || n.isMissingNode()) {
        throw ApiException.badRequest("body: must be a JSON object");
      }
      if (p.nextToken() != null) { // one JSON value, nothing after it: `{…} garbage` is not JSON
        throw ApiException.badRequest("body: not valid JSON (more after the JSON value)");
      }
      return n;
    } catch (IOException e) {
      throw ApiException.badRequest("body: not valid JSON (" + firstLine(e.getMessage()) + ")");
    }
  }

  /** Fails the parse once the body nests deeper than {@link #MAX_DEPTH}: checked as it is read. */
  private static final class DepthLimited extends JsonParserDelegate {
    DepthLimited(JsonParser p) {
      super(p);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      return checked(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
      return checked(delegate.nextValue());
    }

    private JsonToken checked(JsonToken t) {
      if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
        int depth = 0; // counted up the contexts (at most MAX_DEPTH + 1 of them): no getNestingDepth in 2.13
        for (JsonStreamContext c = delegate.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
          if (++depth > MAX_DEPTH) {
            throw ApiException.badRequest("body: JSON nested deeper than " + MAX_DEPTH + " levels");
          }
        }
      }
      return t;
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
