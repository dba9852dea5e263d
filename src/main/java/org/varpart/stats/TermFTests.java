package org.varpart.stats;

import java.util.ArrayList;
import java.util.List;
import org.varpart.design.Design;

/**
 * The F tests of a fit's fixed terms, one per term, as lmerTest's default {@code anova}: the type
 * III hypothesis of each term with Satterthwaite's denominator df, and the rule that combines the
 * df of the hypothesis's directions.
 */
final class TermFTests {
    private TermFTests() {}

    /** Whether some other term's variables include all of this term's. */
    static boolean containedInAnother(String label, List<String> terms) {
        java.util.Set<String> vars = variables(label);
        for (String other : terms) {
            if (!other.equals(label) && !other.equals("(Intercept)") && variables(other).containsAll(vars)) return true;
        }
        return false;
    }

    /** The variables of a term label, split on ':' outside parentheses. */
    static java.util.Set<String> variables(String label) {
        java.util.Set<String> out = new java.util.HashSet<>();
        int depth = 0, start = 0;
        for (int i = 0; i < label.length(); i++) {
            char ch = label.charAt(i);
            if (ch == '(') depth++;
            else if (ch == ')') depth--;
            else if (ch == ':' && depth == 0) {
                out.add(label.substring(start, i));
                start = i + 1;
            }
        }
        out.add(label.substring(start));
        return out;
    }

    /** lmerTest's {@code get_Fstat_ddf}. */
    static double fDenominatorDf(double[] nu) {
        if (nu.length == 1) return nu[0];
        boolean equal = true;
        double mean = nu[0];
        for (int i = 1; i < nu.length; i++) {
            equal &= Math.abs(nu[i] - nu[i - 1]) < 1e-8;
            mean += nu[i];
        }
        if (equal) return mean / nu.length;
        double e = 0;
        for (double v : nu) {
            if (v <= 2) return 2;
            e += v / (v - 2);
        }
        return 2 * e / (e - nu.length);
    }

    /**
     * The F test of each fixed term (not the intercept): lmerTest's type III test, with the
     * contrasts the design carries ({@link org.varpart.design.TypeThree}). A design built without
     * them (a weighted copy, say) tests only the terms that no other term contains, as the
     * hypothesis that all their coefficients are zero, which is the same test.
     */
    static List<Satterthwaite.FTest> of(Satterthwaite s, Design d) {
        List<Satterthwaite.FTest> out = new ArrayList<>();
        for (int t = 0; t < d.fixedTerms().size(); t++) {
            String label = d.fixedTerms().get(t);
            if (label.equals("(Intercept)")) continue;
            double[][] lc = d.typeThree(t);
            if (lc != null) {
                if (lc.length > 0) {
                    Satterthwaite.FTest f = s.fTest(label, lc);
                    if (f.numDf() > 0) out.add(f);
                }
                continue;
            }
            if (containedInAnother(label, d.fixedTerms())) continue;
            List<Integer> cols = new ArrayList<>();
            for (int j = 0; j < d.p(); j++) if (d.assign(j) == t) cols.add(j);
            if (cols.isEmpty()) continue;
            out.add(s.fTest(label, cols.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }
}
