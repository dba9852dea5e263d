package org.varpart.formula;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses lme4 formula text into an expression tree, with R's operator precedence
 * (lowest first): {@code ~}, {@code | ||}, {@code + -}, {@code * /}, {@code :}, unary
 * {@code + -}, {@code ^}. Errors show the formula with a caret at the offending character.
 */
public final class FormulaParser {
    private final String src;
    private final List<Token> tokens;
    private int next;

    private record Token(Kind kind, String text, int pos) {}

    private enum Kind { NAME, NUM, OP, END }

    private FormulaParser(String src) {
        this.src = src;
        this.tokens = tokenize(src);
    }

    /** The two sides of a formula; {@code response} is null for a one-sided formula. */
    public record Parsed(String text, Expr response, Expr rhs) {}

    /** Parses {@code response ~ rhs} or {@code ~ rhs}. */
    public static Parsed parse(String formula) {
        if (formula == null || formula.isBlank()) {
            throw new FormulaException("The formula is empty; write it as in lme4, e.g. \"y ~ x + (1 | g)\".");
        }
        FormulaParser p = new FormulaParser(formula);
        Expr response = null;
        if (!p.peekIs("~")) {
            response = p.expression(2);
        }
        if (!p.peekIs("~")) {
            Token t = p.peek();
            throw FormulaException.at(formula, t.pos, t.kind == Kind.END
                    ? "The formula has no '~'; write it as \"response ~ terms\" or \"~ terms\"."
                    : "Unexpected '" + t.text + "' in the formula; expected '~' or an operator.");
        }
        p.next++;
        if (p.peek().kind == Kind.END) {
            throw FormulaException.at(formula, p.peek().pos, "The formula has nothing after '~'.");
        }
        Expr rhs = p.expression(2);
        Token t = p.peek();
        if (t.kind != Kind.END) {
            throw FormulaException.at(formula, t.pos, "Unexpected '" + t.text + "' in the formula.");
        }
        return new Parsed(formula, response, rhs);
    }

    /** Parses a single expression (no '~'), e.g. the text of a term. */
    public static Expr parseExpression(String text) {
        FormulaParser p = new FormulaParser(text);
        Expr e = p.expression(2);
        if (p.peek().kind != Kind.END) {
            throw FormulaException.at(text, p.peek().pos, "Unexpected '" + p.peek().text + "'.");
        }
        return e;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private boolean peekIs(String op) {
        Token t = peek();
        return t.kind == Kind.OP && t.text.equals(op);
    }

    private static int precedence(String op) {
        return switch (op) {
            case "|", "||" -> 2;
            case "+", "-" -> 3;
            case "*", "/" -> 4;
            case ":" -> 5;
            default -> -1;
        };
    }

    /** Binary expressions whose operators bind at least as tightly as {@code minPrec}. */
    private Expr expression(int minPrec) {
        Expr left = unary();
        while (true) {
            Token t = peek();
            if (t.kind != Kind.OP) break;
            int prec = precedence(t.text);
            if (prec < minPrec) break;
            next++;
            Expr right = expression(prec + 1);
            left = new Expr.Binary(t.text, left, right, t.pos);
        }
        return left;
    }

    private Expr unary() {
        Token t = peek();
        if (t.kind == Kind.OP && (t.text.equals("-") || t.text.equals("+"))) {
            next++;
            return new Expr.Unary(t.text, unary(), t.pos);
        }
        return power();
    }

    /** {@code ^} is right-associative and binds tighter than unary minus. */
    private Expr power() {
        Expr base = primary();
        if (peekIs("^")) {
            Token t = tokens.get(next++);
            Expr exponent = unary();
            return new Expr.Binary("^", base, exponent, t.pos);
        }
        return base;
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind) {
            case NUM -> {
                next++;
                return new Expr.Num(Double.parseDouble(t.text), t.pos);
            }
            case NAME -> {
                next++;
                if (peekIs("(")) {
                    next++;
                    return new Expr.Call(t.text, arguments(t), t.pos);
                }
                return new Expr.Name(t.text, t.pos);
            }
            case OP -> {
                if (t.text.equals("(")) {
                    next++;
                    Expr inner = expression(2);
                    expect(")", "a closing ')' for the '(' of '" + opening(t.pos) + "'");
                    return new Expr.Paren(inner, t.pos);
                }
                throw FormulaException.at(src, t.pos, "Unexpected '" + t.text + "' in the formula; expected a variable, a number or '('.");
            }
            default -> throw FormulaException.at(src, t.pos, "The formula ends too early; a term is missing here.");
        }
    }

    private List<Expr.Arg> arguments(Token fn) {
        List<Expr.Arg> args = new ArrayList<>();
        if (peekIs(")")) {
            next++;
            return args;
        }
        while (true) {
            String name = null;
            if (peek().kind == Kind.NAME && tokens.get(next + 1).kind == Kind.OP && tokens.get(next + 1).text.equals("=")) {
                name = peek().text;
                next += 2;
            }
            args.add(new Expr.Arg(name, expression(2)));
            if (peekIs(",")) {
                next++;
                continue;
            }
            expect(")", "',' or ')' to close " + fn.text + "(");
            return args;
        }
    }

    /** The source from an opening parenthesis, up to 16 characters, to name it in a message. */
    private String opening(int pos) {
        String rest = src.substring(pos).strip();
        return rest.length() <= 16 ? rest : rest.substring(0, 16) + "...";
    }

    private void expect(String op, String what) {
        if (!peekIs(op)) {
            Token t = peek();
            String found = t.kind == Kind.END ? "the end of the formula" : "'" + t.text + "'";
            throw FormulaException.at(src, t.pos, "Expected " + what + " but found " + found + ".");
        }
        next++;
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '.' && !(i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_')) i++;
                out.add(new Token(Kind.NAME, s.substring(start, i), start));
            } else if (c == '`') {
                int end = s.indexOf('`', i + 1);
                if (end < 0) throw FormulaException.at(s, i, "A backtick-quoted name is not closed.");
                out.add(new Token(Kind.NAME, s.substring(i + 1, end), i));
                i = end + 1;
            } else if (Character.isDigit(c) || c == '.') {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    int save = i++;
                    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
                    if (i < s.length() && Character.isDigit(s.charAt(i))) {
                        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                    } else {
                        i = save;
                    }
                }
                if (i < s.length() && s.charAt(i) == 'L') i++; // R's integer suffix
                String text = s.substring(start, i).replace("L", "");
                try {
                    Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw FormulaException.at(s, start, "'" + text + "' is not a number.");
                }
                out.add(new Token(Kind.NUM, text, start));
            } else if (c == '|' && i + 1 < s.length() && s.charAt(i + 1) == '|') {
                out.add(new Token(Kind.OP, "||", i));
                i += 2;
            } else if ("~+-*/:^|(),=".indexOf(c) >= 0) {
                out.add(new Token(Kind.OP, String.valueOf(c), i));
                i++;
            } else {
                throw FormulaException.at(s, i, "The character '" + c + "' cannot appear in a formula.");
            }
        }
        out.add(new Token(Kind.END, "", s.length()));
        return out;
    }
}
