package dev.lanes.core.circuit;

import dev.lanes.core.circuit.QasmLexer.Kind;
import dev.lanes.core.circuit.QasmLexer.Token;
import java.util.List;

/** A cursor over the lexer's tokens, shared by the statement and the expression parsers. */
final class Tokens {
  private final List<Token> tokens;
  private int pos;

  Tokens(List<Token> tokens) {
    this.tokens = tokens;
  }

  Token peek() {
    return tokens.get(pos);
  }

  /** Never moves past the EOF token, so callers cannot run off the end. */
  Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Kind.EOF) {
      pos++;
    }
    return t;
  }

  boolean accept(String symbol) {
    if (peek().is(symbol)) {
      pos++;
      return true;
    }
    return false;
  }

  Token expect(String symbol) {
    Token t = peek();
    if (!t.is(symbol) && symbol.equals(";") && pos > 0) {
      // A forgotten ';' is noticed at the next token, often on the next line: blame the statement.
      throw error(tokens.get(pos - 1), "missing ';' (found " + t.describe() + ")");
    }
    if (!t.is(symbol)) {
      throw error(t, "expected '" + symbol + "' but found " + t.describe());
    }
    return next();
  }

  Token expect(Kind kind, String what) {
    Token t = peek();
    if (t.kind() != kind) {
      throw error(t, "expected " + what + " but found " + t.describe());
    }
    return next();
  }

  static QasmException error(Token at, String problem) {
    return new QasmException(at.line(), problem);
  }
}
