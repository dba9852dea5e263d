package org.varpart.io;

import java.util.Locale;
import org.varpart.design.DataTable;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.RandomEffects;

/** The conditional modes of a fit as CSV: group, term, level, estimate, cond_sd. */
public final class RanefCsv {
    private RanefCsv() {}

    public static String write(FitResult r) {
        StringBuilder sb = new StringBuilder("group,term,level,estimate,cond_sd\n");
        for (RandomEffects re : r.randomEffects()) {
            for (int l = 0; l < re.levels().length; l++) {
                for (int a = 0; a < re.columns().length; a++) {
                    sb.append(csv(re.group())).append(',').append(csv(re.columns()[a])).append(',')
                            .append(csv(re.levels()[l])).append(',')
                            .append(num(re.mode(l, a))).append(',').append(num(re.conditionalSd(l, a))).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.10g", v) : "NA";
    }

    private static String csv(String s) {
        return DataTable.csvCell(s);
    }
}
