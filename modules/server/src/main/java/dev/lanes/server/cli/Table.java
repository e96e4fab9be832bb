package dev.lanes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text output for people: a table with a header row and columns aligned by padding, or a
 * list of "key: value" lines. Missing and null values show as "-".
 */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
    }
    List<String> r = new ArrayList<>(cells.length);
    for (Object c : cells) {
      r.add(cell(c));
    }
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    line(out, headers, width);
    for (List<String> r : rows) {
      line(out, r, width);
    }
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      b.append(c);
      if (i < cells.size() - 1) {
        b.append(" ".repeat(width[i] - c.length() + 2));
      }
    }
    out.println(b.toString().stripTrailing());
  }

  /** "key: value" lines with the values aligned; {@code pairs} alternate key and value. */
  static void keyValues(PrintWriter out, Object... pairs) {
    int width = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      width = Math.max(width, pairs[i].toString().length());
    }
    for (int i = 0; i < pairs.length; i += 2) {
      String key = pairs[i].toString();
      out.println(key + ":" + " ".repeat(width - key.length() + 1) + cell(pairs[i + 1]));
    }
    out.flush();
  }

  /** The text of one value: JSON scalars unquoted, seconds with at most 3 decimals, "-" for nothing. */
  static String cell(Object v) {
    if (v == null) {
      return "-";
    }
    if (v instanceof JsonNode n) {
      if (n.isMissingNode() || n.isNull()) {
        return "-";
      }
      if (n.isTextual()) {
        return n.textValue().isEmpty() ? "-" : n.textValue();
      }
      if (n.isFloatingPointNumber()) {
        return number(n.doubleValue());
      }
      if (n.isArray()) {
        List<String> parts = new ArrayList<>();
        n.forEach(e -> parts.add(cell(e)));
        return parts.isEmpty() ? "-" : String.join(",", parts);
      }
      return n.toString();
    }
    if (v instanceof Double d) {
      return number(d);
    }
    String s = v.toString();
    return s.isEmpty() ? "-" : s;
  }

  static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    String s = String.format(java.util.Locale.ROOT, "%.3f", d);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** An API timestamp ({@code 2026-11-25T18:40:16.123Z}) to the second, for tables. */
  static String time(JsonNode n) {
    if (n == null || !n.isTextual()) {
      return "-";
    }
    String t = n.textValue();
    int dot = t.indexOf('.');
    return dot > 0 && t.endsWith("Z") ? t.substring(0, dot) + "Z" : t;
  }
}
