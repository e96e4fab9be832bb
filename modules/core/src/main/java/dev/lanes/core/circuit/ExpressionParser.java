package dev.lanes.core.circuit;

import dev.lanes.core.circuit.QasmLexer.Kind;
import dev.lanes.core.circuit.QasmLexer.Token;
import java.util.function.DoubleUnaryOperator;

/**
 * Evaluates a gate-parameter expression as it is parsed: numbers, {@code pi}, {@code + - * / ^},
 * unary minus, parentheses and sin cos tan exp ln sqrt. Recursive descent, so nesting is capped to
 * keep hostile input from overflowing the stack.
 */
final class ExpressionParser {
  static final int MAX_NESTING = 64;

  private final Tokens in;
  private int nesting;

  private ExpressionParser(Tokens in) {
    this.in = in;
  }

  /** Parses one expression starting at the cursor; the result is always finite. */
  static double parse(Tokens in) {
    Token start = in.peek();
    double value = new ExpressionParser(in).sum();
    if (!Double.isFinite(value)) {
      throw Tokens.error(start, "parameter expression does not evaluate to a finite number");
    }
    return value;
  }

  private double sum() {
    double value = product();
    while (true) {
      if (in.accept("+")) {
        value += product();
      } else if (in.accept("-")) {
        value -= product();
      } else {
        return value;
      }
    }
  }

  private double product() {
    double value = unary();
    while (true) {
      if (in.accept("*")) {
        value *= unary();
      } else if (in.accept("/")) {
        value /= unary();
      } else {
        return value;
      }
    }
  }

  private double unary() {
    if (in.accept("-")) {
      return -nested(this::unary);
    }
    if (in.accept("+")) {
      return nested(this::unary);
    }
    double base = primary();
    // Right-associative and binding tighter than unary minus: -2^2 = -4, 2^3^2 = 512.
    return in.accept("^") ? Math.pow(base, nested(this::unary)) : base;
  }

  private double primary() {
    Token t = in.next();
    if (t.kind() == Kind.NUMBER) {
      return Double.parseDouble(t.text()); // the lexer only makes tokens this accepts
    }
    if (t.is("(")) {
      double value = nested(this::sum);
      in.expect(")");
      return value;
    }
    if (t.kind() == Kind.IDENT) {
      if (t.text().equals("pi")) {
        return Math.PI;
      }
      DoubleUnaryOperator f = function(t.text());
      if (f == null) {
        throw Tokens.error(t, "unknown identifier " + t.quoted() + " in expression");
      }
      in.expect("(");
      double arg = nested(this::sum);
      in.expect(")");
      return f.applyAsDouble(arg);
    }
    throw Tokens.error(t, "expected a number or expression but found " + t.describe());
  }

  private static DoubleUnaryOperator function(String name) {
    switch (name) {
      case "sin":
        return Math::sin;
      case "cos":
        return Math::cos;
      case "tan":
        return Math::tan;
      case "exp":
        return Math::exp;
      case "ln":
        return Math::log;
      case "sqrt":
        return Math::sqrt;
      default:
        return null;
    }
  }

  private interface Level {
    double parse();
  }

  private double nested(Level level) {
    if (++nesting > MAX_NESTING) {
      throw Tokens.error(in.peek(), "expression nested too deeply (limit " + MAX_NESTING + ")");
    }
    double value = level.parse();
    nesting--;
    return value;
  }
}
