package org.varpart.design;

import java.util.List;
import org.varpart.formula.Expr;
import org.varpart.formula.FormulaException;

/**
 * Evaluates the variables of a formula on a data table. Only a fixed set of operations is
 * understood (column references, arithmetic inside {@code I()}, {@code log exp sqrt abs},
 * {@code ns()}, {@code factor()}); nothing in a formula is ever executed as code.
 */
public final class Evaluator {
    private final DataTable data;
    private final String formula;

    public Evaluator(DataTable data, String formula) {
        this.data = data;
        this.formula = formula;
    }

    /** Evaluates a variable of a term (a column, a transformation, a spline or a factor). */
    public Variable variable(Expr e) {
        String label = e.deparse();
        if (e instanceof Expr.Name n) {
            DataTable.Column c = column(n);
            if (c.isNumeric()) return new Variable.Numeric(label, new double[][] {c.numbers()}, null);
            return new Variable.Factor(label, c.text(), false);
        }
        if (e instanceof Expr.Call call) {
            switch (call.function()) {
                case "factor", "as.factor" -> {
                    Expr arg = onlyArg(call);
                    if (!(arg instanceof Expr.Name n)) throw err(call, "factor() takes a column name.");
                    DataTable.Column c = column(n);
                    return new Variable.Factor(label, c.text(), c.isNumeric());
                }
                case "ns" -> {
                    return spline(call, label);
                }
                default -> {
                    return new Variable.Numeric(label, new double[][] {numeric(e)}, null);
                }
            }
        }
        return new Variable.Numeric(label, new double[][] {numeric(e)}, null);
    }

    /** Evaluates a numeric expression element-wise; NaN marks missing and undefined values. */
    public double[] numeric(Expr e) {
        int n = data.rows();
        if (e instanceof Expr.Num num) {
            double[] v = new double[n];
            java.util.Arrays.fill(v, num.value());
            return v;
        }
        if (e instanceof Expr.Name name) {
            DataTable.Column c = column(name);
            if (!c.isNumeric()) {
                throw err(e, "'" + name.name() + "' is not numeric (for example '" + firstText(c)
                        + "'), so it cannot be used in arithmetic.");
            }
            return c.numbers().clone();
        }
        if (e instanceof Expr.Paren p) return numeric(p.inner());
        if (e instanceof Expr.Unary u) {
            double[] v = numeric(u.operand());
            if (u.op().equals("-")) for (int i = 0; i < n; i++) v[i] = -v[i];
            return v;
        }
        if (e instanceof Expr.Binary b) {
            double[] l = numeric(b.left()), r = numeric(b.right());
            for (int i = 0; i < n; i++) {
                l[i] = switch (b.op()) {
                    case "+" -> l[i] + r[i];
                    case "-" -> l[i] - r[i];
                    case "*" -> l[i] * r[i];
                    case "/" -> l[i] / r[i];
                    case "^" -> Math.pow(l[i], r[i]);
                    default -> throw err(b, "The operator '" + b.op() + "' cannot be used in arithmetic; inside I() use + - * / ^.");
                };
            }
            return l;
        }
        Expr.Call c = (Expr.Call) e;
        switch (c.function()) {
            case "I" -> {
                return numeric(onlyArg(c));
            }
            case "log", "exp", "sqrt", "abs", "log2", "log10", "log1p" -> {
                double[] v = numeric(c.args().get(0).value());
                if (c.function().equals("log") && c.args().size() == 2) {
                    double[] base = numeric(c.args().get(1).value());
                    for (int i = 0; i < n; i++) v[i] = Math.log(v[i]) / Math.log(base[i]);
                    return v; // log(-1) is NaN, a missing value that drops the row, as in R
                }
                if (c.args().size() != 1) throw err(c, c.function() + "() takes one argument.");
                for (int i = 0; i < n; i++) {
                    v[i] = switch (c.function()) {
                        case "log" -> Math.log(v[i]);
                        case "exp" -> Math.exp(v[i]);
                        case "sqrt" -> Math.sqrt(v[i]);
                        case "abs" -> Math.abs(v[i]);
                        case "log2" -> Math.log(v[i]) / Math.log(2);
                        case "log10" -> Math.log10(v[i]);
                        default -> Math.log1p(v[i]);
                    };
                }
                return v; // log(-1) is NaN, a missing value that drops the row, as in R
            }
            default -> throw err(c, "The function '" + c.function() + "' is not supported; use I(), log(), exp(), sqrt(), abs(), ns() or factor().");
        }
    }

    private Variable spline(Expr.Call call, String label) {
        List<Expr.Arg> args = call.args();
        if (args.isEmpty()) throw err(call, "ns() needs a variable, as in ns(x, df = 3).");
        Expr x = null, df = null;
        for (int i = 0; i < args.size(); i++) {
            Expr.Arg a = args.get(i);
            String name = a.name() != null ? a.name() : (i == 0 ? "x" : i == 1 ? "df" : "?");
            switch (name) {
                case "x" -> x = a.value();
                case "df" -> df = a.value();
                default -> throw err(call, "ns() takes x and df here (knots are placed at quantiles); found argument '" + name + "'.");
            }
        }
        if (x == null || df == null) throw err(call, "Write a natural spline as ns(x, df = 3).");
        if (!(df instanceof Expr.Num d) || d.value() != Math.rint(d.value())) throw err(df, "ns(): df must be a whole number.");
        double[] values = numeric(x);
        NaturalSpline ns = new NaturalSpline(values, (int) d.value());
        double[][] rows = ns.basis(values);
        double[][] cols = new double[ns.df()][values.length];
        String[] suffixes = new String[ns.df()];
        for (int j = 0; j < ns.df(); j++) {
            suffixes[j] = Integer.toString(j + 1);
            for (int i = 0; i < values.length; i++) cols[j][i] = rows[i][j];
        }
        return new Variable.Numeric(label, cols, suffixes);
    }

    private Expr onlyArg(Expr.Call c) {
        if (c.args().size() != 1) throw err(c, c.function() + "() takes exactly one argument.");
        return c.args().get(0).value();
    }

    private DataTable.Column column(Expr.Name n) {
        if (!data.has(n.name())) {
            throw FormulaException.at(formula, n.pos(), "The column '" + n.name() + "' is not in " + data.source()
                    + "; its columns are: " + String.join(", ", data.names()) + ".");
        }
        return data.column(n.name());
    }

    private static String firstText(DataTable.Column c) {
        for (String s : c.text()) if (s != null && Double.isNaN(DataTable.parseNumber(s))) return s;
        return "?";
    }

    private FormulaException err(Expr at, String message) {
        return FormulaException.at(formula, at.pos(), message);
    }
}
