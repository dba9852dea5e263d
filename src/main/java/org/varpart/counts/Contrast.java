package org.varpart.counts;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.varpart.InputException;

/**
 * A linear combination of fixed-effect coefficients, written as the user writes it:
 * {@code treatmentdrug - treatmentplacebo}, {@code 0.5*doseHigh + 0.5*doseLow - control},
 * {@code 2 * age}. Terms are coefficient names (kept in the order written, so an error names the
 * first unknown one), each optionally multiplied by a number
 * ({@code c*name} or {@code name*c}), joined by {@code +} and {@code -}. A name that holds spaces or
 * the characters + - * is written between backquotes, as R writes it: {@code `dose-high` - control}.
 */
public record Contrast(String label, String text, Map<String, Double> weights) implements java.io.Serializable {

    /** Parses {@code text}; the names are checked against a model later ({@link #vector}). */
    public static Contrast parse(String label, String text) {
        Map<String, Double> w = new LinkedHashMap<>();
        Parser p = new Parser(label, text);
        p.skip();
        if (p.atEnd()) throw p.error("the contrast is empty; write a combination such as a - b");
        double sign = 1;
        if (p.peek() == '-' || p.peek() == '+') {
            sign = p.next() == '-' ? -1 : 1;
            p.skip();
        }
        while (true) {
            double coef = sign;
            String name;
            if (p.startsNumber()) {
                coef *= p.number();
                p.expect('*');
                name = p.name();
            } else {
                name = p.name();
                p.skip();
                if (!p.atEnd() && p.peek() == '*') {
                    p.next();
                    p.skip();
                    coef *= p.number();
                }
            }
            w.merge(name, coef, Double::sum);
            p.skip();
            if (p.atEnd()) break;
            char op = p.next();
            if (op != '+' && op != '-') throw p.error("expected + or - before position " + p.pos);
            sign = op == '-' ? -1 : 1;
            p.skip();
        }
        return new Contrast(label, text, java.util.Collections.unmodifiableMap(w));
    }

    /**
     * The vector L over the model's coefficients (Lᵀβ is the contrast). A name that is not a
     * coefficient is an input error that lists the coefficients.
     */
    public double[] vector(String[] coefficientNames) {
        double[] l = new double[coefficientNames.length];
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            int j = Arrays.asList(coefficientNames).indexOf(e.getKey());
            if (j < 0) {
                throw new InputException("contrast." + label + " = " + text + ": '" + e.getKey()
                        + "' is not a fixed-effect coefficient of the model; the coefficients are "
                        + String.join(", ", coefficientNames));
            }
            l[j] += e.getValue();
        }
        return l;
    }

    private static final class Parser {
        final String label, s;
        int pos;

        Parser(String label, String s) {
            this.label = label;
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        char next() {
            return s.charAt(pos++);
        }

        void skip() {
            while (!atEnd() && Character.isWhitespace(peek())) pos++;
        }

        boolean startsNumber() {
            return !atEnd() && (Character.isDigit(peek()) || peek() == '.');
        }

        double number() {
            skip();
            int start = pos;
            while (!atEnd() && (Character.isDigit(peek()) || peek() == '.' || peek() == 'e' || peek() == 'E'
                    || ((peek() == '-' || peek() == '+') && pos > start && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')))) {
                pos++;
            }
            try {
                return Double.parseDouble(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("'" + s.substring(start, pos) + "' is not a number");
            }
        }

        void expect(char c) {
            skip();
            if (atEnd() || peek() != c) throw error("expected '" + c + "' at position " + (pos + 1));
            pos++;
            skip();
        }

        String name() {
            skip();
            if (atEnd()) throw error("a coefficient name is missing at the end");
            if (peek() == '`') {
                int end = s.indexOf('`', pos + 1);
                if (end < 0) throw error("the backquote at position " + (pos + 1) + " is not closed");
                String n = s.substring(pos + 1, end);
                pos = end + 1;
                return n;
            }
            int start = pos;
            while (!atEnd() && !Character.isWhitespace(peek()) && "+-*".indexOf(peek()) < 0) pos++;
            if (pos == start) throw error("a coefficient name is missing at position " + (pos + 1));
            return s.substring(start, pos);
        }

        InputException error(String what) {
            return new InputException("contrast." + label + " = " + s + ": " + what);
        }
    }
}
