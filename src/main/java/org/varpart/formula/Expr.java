package org.varpart.formula;

import java.util.List;

/**
 * An R expression as it appears in a model formula. The formula is parsed into this tree and
 * interpreted; it is never evaluated as code.
 */
public sealed interface Expr extends java.io.Serializable {

    /** Source position of the first character of this expression (for error carets). */
    int pos();

    /** R's deparsed text of this expression, e.g. {@code I(age^2)} or {@code ns(x, df = 3)}. */
    String deparse();

    /** A variable name, e.g. {@code age}. */
    record Name(String name, int pos) implements Expr {
        public String deparse() {
            return Deparser.name(name);
        }
    }

    /** A numeric literal, kept with the value R would print. */
    record Num(double value, int pos) implements Expr {
        public String deparse() {
            return Deparser.number(value);
        }
    }

    /** A call such as {@code log(x)} or {@code ns(x, df = 3)}. */
    record Call(String function, List<Arg> args, int pos) implements Expr {
        public String deparse() {
            return Deparser.call(this);
        }
    }

    /** An argument of a call; {@code name} is null for a positional argument. */
    record Arg(String name, Expr value) implements java.io.Serializable {}

    /** A binary operator: one of {@code ~ + - * / : ^ | ||}. */
    record Binary(String op, Expr left, Expr right, int pos) implements Expr {
        public String deparse() {
            return Deparser.binary(this);
        }
    }

    /** A unary operator: {@code -} or {@code +}. */
    record Unary(String op, Expr operand, int pos) implements Expr {
        public String deparse() {
            return op + operand.deparse();
        }
    }

    /** A parenthesised expression; kept so that deparsing reproduces R's text. */
    record Paren(Expr inner, int pos) implements Expr {
        public String deparse() {
            return "(" + inner.deparse() + ")";
        }
    }
}
