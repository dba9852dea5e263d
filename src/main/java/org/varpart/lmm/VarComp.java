package org.varpart.lmm;

/**
 * The covariance of one random-effects term: Σ = σ² T Tᵀ over the term's columns.
 *
 * @param group the grouping factor, e.g. {@code Subject}
 * @param columns the term's columns, e.g. {@code (Intercept)}, {@code Days}
 * @param covariance Σ, c × c column-major
 */
public record VarComp(String group, String[] columns, double[] covariance) {

    public int size() {
        return columns.length;
    }

    public double variance(int a) {
        return covariance[a * columns.length + a];
    }

    public double sd(int a) {
        return Math.sqrt(variance(a));
    }

    /** Correlation of columns a and b (NaN when a variance is zero). */
    public double correlation(int a, int b) {
        double d = sd(a) * sd(b);
        return d > 0 ? covariance[b * columns.length + a] / d : Double.NaN;
    }

    /** The component's name in variance-partition tables: {@code Subject} or {@code Subject.Days}. */
    public String componentName(int a) {
        return columns[a].equals("(Intercept)") ? group : group + "." + columns[a];
    }

    /**
     * The terms' group names as lme4 prints them ({@code VarCorr}): R's {@code make.unique} over
     * the terms in order, so the second term on {@code Tree} (as {@code (days || Tree)} makes) is
     * {@code Tree.1}, a third {@code Tree.2}.
     */
    public static java.util.List<String> lme4Names(java.util.List<VarComp> terms) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (VarComp vc : terms) {
            int k = seen.merge(vc.group(), 1, Integer::sum) - 1;
            out.add(k == 0 ? vc.group() : vc.group() + "." + k);
        }
        return out;
    }
}
