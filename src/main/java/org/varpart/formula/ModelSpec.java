package org.varpart.formula;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed model: the response, the fixed-effects terms and the random-effects terms of an lme4
 * formula. It holds no data; {@code org.varpart.design} combines it with a sample table.
 *
 * @param formula the formula text
 * @param response the response expression, or null for a one-sided formula
 * @param fixed the fixed-effects terms
 * @param random the random-effects terms after expanding {@code /} and {@code ||}
 * @param columns the data columns the formula names, in order of appearance
 */
public record ModelSpec(String formula, Expr response, TermList fixed, List<RandomTerm> random, List<String> columns)
        implements java.io.Serializable {

    /** The most operators ({@code + - * / : ^ |}) a formula may have: far beyond any model, well within what the parser handles. */
    public static final int MAX_OPERATORS = 1000;
    /** The deepest nesting of parentheses a formula may have. */
    public static final int MAX_DEPTH = 100;

    /** Parses an lme4 formula such as {@code y ~ age * sex + (1 | patient) + (1 | lab/batch)}. */
    public static ModelSpec parse(String formula) {
        checkSize(formula);
        try {
            return parseChecked(formula);
        } catch (StackOverflowError e) {
            throw new FormulaException("The formula is too complex to handle (" + formula.length() + " characters); simplify it.");
        }
    }

    /**
     * Refuses a formula with more than {@link #MAX_OPERATORS} operators or parentheses nested
     * deeper than {@link #MAX_DEPTH}; the message does not repeat the formula, which may be long.
     */
    static void checkSize(String formula) {
        int operators = 0, depth = 0;
        for (int i = 0; i < formula.length(); i++) {
            char c = formula.charAt(i);
            if ("+-*/:^|".indexOf(c) >= 0 && ++operators > MAX_OPERATORS) {
                throw new FormulaException("The formula has more than " + MAX_OPERATORS + " operators (" + formula.length()
                        + " characters); varpart fits models"
                        + " of at most that size. Use fewer terms (a spline ns(x, df = k) in place of many powers, a factor in place of many indicators).");
            }
            if (c == '(' && ++depth > MAX_DEPTH) {
                throw new FormulaException("The formula nests parentheses more than " + MAX_DEPTH + " deep (at character " + (i + 1) + "); simplify it.");
            }
            if (c == ')') depth--;
        }
    }

    private static ModelSpec parseChecked(String formula) {
        FormulaParser.Parsed p = FormulaParser.parse(formula);
        TermExpander ex = new TermExpander(formula);
        List<String> columns = new ArrayList<>();
        if (p.response() != null) {
            ex.recordOrder(p.response());
            collectColumns(p.response(), columns);
        }
        ex.recordOrder(p.rhs());
        collectColumns(p.rhs(), columns);
        TermExpander.Expansion e = ex.expand(p.rhs(), true);
        TermList fixed = ex.toTermList(e, true);
        List<RandomTerm> random = new ArrayList<>();
        for (Expr.Binary bar : e.random) {
            random.addAll(ex.randomTerms(bar));
        }
        return new ModelSpec(formula, p.response(), fixed, List.copyOf(random), List.copyOf(new LinkedHashSet<>(columns)));
    }

    /** The same model with another response (used by the per-feature job). */
    public ModelSpec withResponse(Expr newResponse) {
        return new ModelSpec(formula, newResponse, fixed, random, columns);
    }

    /** All data columns named anywhere in the expression (function names excluded). */
    public static void collectColumns(Expr e, List<String> out) {
        if (e instanceof Expr.Name n) {
            out.add(n.name());
        } else if (e instanceof Expr.Call c) {
            c.args().forEach(a -> collectColumns(a.value(), out));
        } else if (e instanceof Expr.Binary b) {
            collectColumns(b.left(), out);
            collectColumns(b.right(), out);
        } else if (e instanceof Expr.Unary u) {
            collectColumns(u.operand(), out);
        } else if (e instanceof Expr.Paren p) {
            collectColumns(p.inner(), out);
        }
    }

    /** Expands formula operators into terms, following R's {@code terms.formula}. */
    static final class TermExpander {
        private final String formula;
        /** First-appearance rank of each variable label, used to order variables within a term. */
        private final Map<String, Integer> order = new LinkedHashMap<>();

        TermExpander(String formula) {
            this.formula = formula;
        }

        static final class Expansion {
            Boolean intercept; // null: not specified
            final LinkedHashMap<Set<String>, List<Expr>> terms = new LinkedHashMap<>();
            final List<Expr.Binary> random = new ArrayList<>();

            void add(List<Expr> vars, Set<String> key) {
                terms.putIfAbsent(key, vars);
            }
        }

        void recordOrder(Expr e) {
            if (e instanceof Expr.Binary b && isFormulaOperator(b.op())) {
                recordOrder(b.left());
                recordOrder(b.right());
            } else if (e instanceof Expr.Paren p) {
                recordOrder(p.inner());
            } else if (e instanceof Expr.Unary u) {
                recordOrder(u.operand());
            } else if (!(e instanceof Expr.Num)) {
                order.putIfAbsent(e.deparse(), order.size());
            }
        }

        private static boolean isFormulaOperator(String op) {
            return switch (op) {
                case "+", "-", "*", "/", ":", "^", "|", "||" -> true;
                default -> false;
            };
        }

        Expansion expand(Expr e, boolean topLevel) {
            Expansion out = new Expansion();
            if (e instanceof Expr.Num n) {
                if (n.value() == 1) out.intercept = true;
                else if (n.value() == 0) out.intercept = false;
                else throw FormulaException.at(formula, n.pos(), "A number other than 0 or 1 cannot be a term; use I(" + n.deparse() + ") for a constant.");
            } else if (e instanceof Expr.Name || e instanceof Expr.Call) {
                single(out, e);
            } else if (e instanceof Expr.Paren p) {
                if (p.inner() instanceof Expr.Binary b && (b.op().equals("|") || b.op().equals("||"))) {
                    if (!topLevel) throw FormulaException.at(formula, p.pos(), "A random-effects term cannot be part of an interaction or be nested in other terms.");
                    out.random.add(b);
                } else {
                    return expand(p.inner(), topLevel);
                }
            } else if (e instanceof Expr.Unary u) {
                if (u.op().equals("+")) return expand(u.operand(), topLevel);
                if (u.operand() instanceof Expr.Num n && n.value() == 1) out.intercept = false;
                else if (u.operand() instanceof Expr.Num n && n.value() == 0) out.intercept = true;
                // "- term" with nothing to remove it from removes nothing
            } else if (e instanceof Expr.Binary b) {
                binary(out, b, topLevel);
            }
            return out;
        }

        private void single(Expansion out, Expr var) {
            List<Expr> vars = List.of(var);
            out.add(vars, Set.of(var.deparse()));
        }

        private void binary(Expansion out, Expr.Binary b, boolean topLevel) {
            switch (b.op()) {
                case "+" -> {
                    Expansion l = expand(b.left(), topLevel), r = expand(b.right(), topLevel);
                    merge(out, l);
                    merge(out, r);
                }
                case "-" -> {
                    Expansion l = expand(b.left(), topLevel), r = expand(b.right(), false);
                    merge(out, l);
                    for (Set<String> k : r.terms.keySet()) out.terms.remove(k);
                    if (r.intercept != null) out.intercept = !r.intercept;
                }
                case ":" -> product(out, expand(b.left(), false), expand(b.right(), false));
                case "*" -> {
                    Expansion l = expand(b.left(), false), r = expand(b.right(), false);
                    merge(out, l);
                    merge(out, r);
                    product(out, l, r);
                }
                case "/" -> {
                    Expansion l = expand(b.left(), false), r = expand(b.right(), false);
                    merge(out, l);
                    List<Expr> all = new ArrayList<>();
                    Set<String> seen = new LinkedHashSet<>();
                    for (List<Expr> t : l.terms.values()) {
                        for (Expr v : t) if (seen.add(v.deparse())) all.add(v);
                    }
                    Expansion whole = new Expansion();
                    whole.add(all, seen);
                    product(out, whole, r);
                }
                case "^" -> {
                    if (!(b.right() instanceof Expr.Num n) || n.value() < 1 || n.value() != Math.rint(n.value())) {
                        throw FormulaException.at(formula, b.pos(), "In a formula, '^' needs a whole number of at least 1, as in (a + b + c)^2; for a power of a variable write I(x^2).");
                    }
                    Expansion base = expand(b.left(), false);
                    Expansion acc = new Expansion();
                    merge(acc, base);
                    for (int k = 1; k < (int) n.value(); k++) {
                        Expansion next = new Expansion();
                        merge(next, acc);
                        product(next, acc, base);
                        acc = next;
                    }
                    merge(out, acc);
                }
                case "|", "||" -> throw FormulaException.at(formula, b.pos(), "A random-effects term must be in parentheses, as in (1 | group).");
                default -> throw FormulaException.at(formula, b.pos(), "The operator '" + b.op() + "' is not allowed here.");
            }
        }

        private void merge(Expansion into, Expansion from) {
            from.terms.forEach((k, v) -> into.add(v, k));
            if (from.intercept != null) into.intercept = from.intercept;
            into.random.addAll(from.random);
        }

        private void product(Expansion out, Expansion l, Expansion r) {
            for (List<Expr> a : l.terms.values()) {
                for (List<Expr> c : r.terms.values()) {
                    List<Expr> vars = new ArrayList<>();
                    Set<String> key = new LinkedHashSet<>();
                    for (Expr v : a) if (key.add(v.deparse())) vars.add(v);
                    for (Expr v : c) if (key.add(v.deparse())) vars.add(v);
                    out.add(vars, new java.util.TreeSet<>(key));
                }
            }
        }

        /** Orders terms by order (stable) and variables within a term by first appearance. */
        TermList toTermList(Expansion e, boolean defaultIntercept) {
            List<Term> terms = new ArrayList<>();
            for (List<Expr> vars : e.terms.values()) {
                List<Expr> sorted = new ArrayList<>(vars);
                sorted.sort(java.util.Comparator.comparingInt(v -> order.getOrDefault(v.deparse(), Integer.MAX_VALUE)));
                terms.add(new Term(List.copyOf(sorted)));
            }
            terms.sort(java.util.Comparator.comparingInt(Term::order));
            boolean intercept = e.intercept != null ? e.intercept : defaultIntercept;
            return new TermList(intercept, List.copyOf(terms));
        }

        List<RandomTerm> randomTerms(Expr.Binary bar) {
            Expansion lhs = expand(bar.left(), false);
            if (!lhs.random.isEmpty()) throw FormulaException.at(formula, bar.pos(), "Random-effects terms cannot be nested inside each other.");
            TermList effects = toTermList(lhs, true);
            if (!effects.intercept() && effects.terms().isEmpty()) {
                throw FormulaException.at(formula, bar.left().pos(), "This random-effects term has no effects on the left of '|'.");
            }
            List<Group> groups = groups(bar.right());
            List<RandomTerm> out = new ArrayList<>();
            for (Group g : groups) {
                if (bar.op().equals("||")) {
                    if (effects.intercept()) out.add(new RandomTerm(new TermList(true, List.of()), g.vars, g.name));
                    for (Term t : effects.terms()) out.add(new RandomTerm(new TermList(false, List.of(t)), g.vars, g.name));
                } else {
                    out.add(new RandomTerm(effects, g.vars, g.name));
                }
            }
            return out;
        }

        private record Group(List<Expr> vars, String name) {}

        /** {@code g}, {@code g1:g2}, and {@code g1/g2} (which gives {@code g1} and {@code g2:g1}). */
        private List<Group> groups(Expr e) {
            if (e instanceof Expr.Paren p) return groups(p.inner());
            if (e instanceof Expr.Name n) return List.of(new Group(List.of(n), n.deparse()));
            if (e instanceof Expr.Binary b && b.op().equals(":")) {
                    List<Expr> vars = new ArrayList<>();
                    for (Group g : groups(b.left())) vars.addAll(g.vars);
                    for (Group g : groups(b.right())) vars.addAll(g.vars);
                    if (groups(b.left()).size() != 1 || groups(b.right()).size() != 1) {
                        throw FormulaException.at(formula, b.pos(), "Write a nested interaction group as (1 | a/b) or (1 | a:b), not a mixture.");
                    }
                return List.of(new Group(List.copyOf(vars), b.left().deparse() + ":" + b.right().deparse()));
            }
            if (e instanceof Expr.Binary b && b.op().equals("/")) {
                    List<Group> outer = groups(b.left());
                    List<Group> inner = groups(b.right());
                    if (inner.size() != 1) throw FormulaException.at(formula, b.pos(), "Write deeper nesting as (1 | a/b/c).");
                    Group last = outer.get(outer.size() - 1);
                    List<Expr> vars = new ArrayList<>(inner.get(0).vars);
                    vars.addAll(last.vars);
                    List<Group> out = new ArrayList<>(outer);
                    out.add(new Group(List.copyOf(vars), inner.get(0).name + ":" + last.name));
                return out;
            }
            throw FormulaException.at(formula, e.pos(), "A grouping factor must be a column name, a:b or a/b; found '" + e.deparse() + "'.");
        }
    }
}
