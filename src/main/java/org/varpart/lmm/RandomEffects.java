package org.varpart.lmm;

/**
 * Conditional modes (BLUPs) of one random-effects term.
 *
 * @param group the grouping factor
 * @param columns the term's columns
 * @param levels the levels of the grouping factor
 * @param modes b̂, level by level: level l, column a at {@code modes[l*c + a]}
 * @param conditionalVariance the c × c conditional covariance of each level (column-major blocks,
 *     σ² Λ(L_Z L_Zᵀ)⁻¹Λᵀ as lme4's {@code condVar}), or null when not computed
 */
public record RandomEffects(String group, String[] columns, String[] levels, double[] modes, double[] conditionalVariance) {

    public double mode(int level, int column) {
        return modes[level * columns.length + column];
    }

    /** Conditional standard deviation of a level's coefficient, or NaN when not computed. */
    public double conditionalSd(int level, int column) {
        if (conditionalVariance == null) return Double.NaN;
        int c = columns.length;
        return Math.sqrt(conditionalVariance[level * c * c + column * c + column]);
    }
}
