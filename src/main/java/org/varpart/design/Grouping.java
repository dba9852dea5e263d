package org.varpart.design;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.varpart.InputException;

/**
 * The levels of a random-effects term's grouping factor (or interaction of factors) among the
 * rows a design keeps, and each row's level code, as lme4 makes them: a level exists only if a
 * kept row has it, levels sort as text (as numbers for a numeric column used as a factor), and
 * the levels of an interaction {@code a:b} are the combinations present, the first factor varying
 * fastest, as R's {@code interaction()}.
 *
 * @param levels the level names, in order
 * @param codes each kept row's level (an index into {@code levels})
 */
record Grouping(String[] levels, int[] codes) {
    /** A grouping variable as a factor: a numeric column's values become its level names, ordered as numbers. */
    static Variable.Factor asFactor(Variable v) {
        if (v instanceof Variable.Factor f) return f;
        Variable.Numeric num = (Variable.Numeric) v;
        if (num.width() != 1) throw new InputException("A grouping factor must be a single column; '" + num.label() + "' is not.");
        double[] d = num.columns()[0];
        String[] text = new String[d.length];
        for (int i = 0; i < d.length; i++) text[i] = Double.isNaN(d[i]) ? null : formatNumber(d[i]);
        return new Variable.Factor(num.label(), text, true);
    }

    /** A number as R's {@code as.character} prints it (15 significant digits, no trailing ".0"). */
    static String formatNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(15)).stripTrailingZeros().toPlainString();
    }

    /** The sorted levels present among the given rows. */
    static String[] levels(Variable.Factor f, int[] rows) {
        Set<String> present = new java.util.HashSet<>();
        for (int r : rows) present.add(f.values()[r]);
        String[] lv = present.toArray(new String[0]);
        if (f.numericOrder()) Arrays.sort(lv, Comparator.comparingDouble(Double::parseDouble));
        else Arrays.sort(lv);
        return lv;
    }

    /** Levels of an (interaction of) grouping factor(s); the first factor varies fastest, as R's interaction(). */
    static Grouping of(List<Variable.Factor> factors, int[] rows) {
        int m = factors.size();
        int[][] codes = new int[m][rows.length];
        String[][] lv = new String[m][];
        for (int f = 0; f < m; f++) {
            lv[f] = levels(factors.get(f), rows);
            Map<String, Integer> index = indexOf(lv[f]);
            for (int k = 0; k < rows.length; k++) codes[f][k] = index.get(factors.get(f).values()[rows[k]]);
        }
        Map<List<Integer>, Integer> combos = new HashMap<>();
        List<List<Integer>> keys = new ArrayList<>();
        for (int k = 0; k < rows.length; k++) {
            List<Integer> key = new ArrayList<>(m);
            for (int f = 0; f < m; f++) key.add(codes[f][k]);
            if (combos.putIfAbsent(key, 0) == null) keys.add(key);
        }
        keys.sort((a, b) -> {
            for (int f = m - 1; f >= 0; f--) {
                int c = Integer.compare(a.get(f), b.get(f));
                if (c != 0) return c;
            }
            return 0;
        });
        String[] names = new String[keys.size()];
        for (int l = 0; l < keys.size(); l++) {
            combos.put(keys.get(l), l);
            StringBuilder sb = new StringBuilder();
            for (int f = 0; f < m; f++) {
                if (f > 0) sb.append(':');
                sb.append(lv[f][keys.get(l).get(f)]);
            }
            names[l] = sb.toString();
        }
        int[] out = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            List<Integer> key = new ArrayList<>(m);
            for (int f = 0; f < m; f++) key.add(codes[f][k]);
            out[k] = combos.get(key);
        }
        return new Grouping(names, out);
    }

    private static Map<String, Integer> indexOf(String[] levels) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < levels.length; i++) m.put(levels[i], i);
        return m;
    }
}
