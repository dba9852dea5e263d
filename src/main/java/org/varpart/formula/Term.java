package org.varpart.formula;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One term of a model: a main effect ({@code age}) or an interaction ({@code age:sex}) of
 * variables. A variable is an expression that yields one or more columns: a column name, a
 * transformation such as {@code log(dose)} or {@code I(age^2)}, or a spline {@code ns(x, df = 3)}.
 *
 * @param variables the variables, in the order in which they first appear in the formula
 */
public record Term(List<Expr> variables) implements java.io.Serializable {

    /** R's label of the term, e.g. {@code age:sex}. */
    public String label() {
        return variables.stream().map(Expr::deparse).collect(Collectors.joining(":"));
    }

    /** The number of variables (1 for a main effect). */
    public int order() {
        return variables.size();
    }

    /** The variables' labels as a set, which identifies the term whatever their order. */
    public Set<String> key() {
        return variables.stream().map(Expr::deparse).collect(Collectors.toCollection(TreeSet::new));
    }
}
