package dev.lanes.core.circuit;

import java.util.ArrayList;
import java.util.List;

/** Splits OpenQASM 2.0 source into tokens, each tagged with its line for error messages. */
final class QasmLexer {

  enum Kind {
    IDENT,
    NUMBER,
    STRING,
    SYMBOL,
    EOF
  }

  record Token(Kind kind, String text, int line) {
    boolean is(String symbol) {
      return (kind == Kind.SYMBOL || kind == Kind.IDENT) && text.equals(symbol);
    }

    String describe() {
      return kind == Kind.EOF ? "end of input" : quoted();
    }

    String quoted() {
      return quote(text);
    }
  }

  /** Text in quotes, shortened so that hostile input cannot bloat error messages. */
  static String quote(String text) {
    return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
  }

  private final String src;
  private int pos;
  private int line = 1;

  private QasmLexer(String src) {
    this.src = src;
  }

  static List<Token> tokenize(String source) {
    return new QasmLexer(source).run();
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      if (pos >= src.length()) {
        tokens.add(new Token(Kind.EOF, "", line));
        return tokens;
      }
      tokens.add(next());
    }
  }

  private void skipSpaceAndComments() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else if (src.startsWith("//", pos)) {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Token next() {
    char c = src.charAt(pos);
    int start = pos;
    if (isIdentStart(c)) {
      while (pos < src.length() && isIdentPart(src.charAt(pos))) {
        pos++;
      }
      return new Token(Kind.IDENT, src.substring(start, pos), line);
    }
    if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
      return number();
    }
    if (c == '"') {
      int end = src.indexOf('"', pos + 1);
      int newline = src.indexOf('\n', pos + 1);
      if (end < 0 || (newline >= 0 && newline < end)) {
        throw new QasmException(line, "unterminated string");
      }
      pos = end + 1;
      return new Token(Kind.STRING, src.substring(start + 1, end), line);
    }
    for (String pair : new String[] {"->", "=="}) {
      if (src.startsWith(pair, pos)) {
        pos += 2;
        return new Token(Kind.SYMBOL, pair, line);
      }
    }
    if (";,[](){}+-*/^".indexOf(c) >= 0) {
      pos++;
      return new Token(Kind.SYMBOL, String.valueOf(c), line);
    }
    throw new QasmException(line, "unexpected character " + printable(c));
  }

  /** Digits with an optional fraction and exponent; the shape Double.parseDouble accepts. */
  private Token number() {
    int start = pos;
    skipDigits();
    if (pos < src.length() && src.charAt(pos) == '.') {
      pos++;
      skipDigits();
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int mark = pos++;
      if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < src.length() && isDigit(src.charAt(pos))) {
        skipDigits();
      } else {
        pos = mark; // "2e" is the number 2 followed by an identifier, an error the parser reports
      }
    }
    return new Token(Kind.NUMBER, src.substring(start, pos), line);
  }

  private void skipDigits() {
    while (pos < src.length() && isDigit(src.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }
}
