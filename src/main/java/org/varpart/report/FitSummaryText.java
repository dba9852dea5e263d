package org.varpart.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.VarComp;
import org.varpart.stats.ModelComparison;
import org.varpart.stats.RandomTermTests;
import org.varpart.stats.Satterthwaite;
import org.varpart.stats.Significance;

/** The text summary of one fit, laid out like lme4's {@code summary()} of an {@code lmerMod}. */
public final class FitSummaryText {
    private FitSummaryText() {}

    /** The summary; {@code tests} (may be null) adds lmerTest's columns and the random-term tests. */
    public static String format(FitResult r, Design d, String dataName, Significance tests) {
        StringBuilder sb = new StringBuilder();
        boolean reml = r.criterion().equals("REML");
        sb.append("Linear mixed model fit by ").append(reml ? "REML" : "maximum likelihood").append(" ['lmerMod']\n");
        sb.append("Formula: ").append(d.formula()).append('\n');
        sb.append("   Data: ").append(dataName).append("\n\n");
        if (!r.status().hasEstimates()) {
            sb.append("No fit: ").append(r.status().label()).append(": ").append(r.message()).append('\n');
            return sb.toString();
        }
        if (reml) {
            sb.append("REML criterion at convergence: ").append(fmt(r.objective(), 1)).append("\n\n");
        } else {
            String[] h = {"AIC", "BIC", "logLik", "deviance", "df.resid"};
            String[] v = {fmt(r.aic(), 1), fmt(r.bic(), 1), fmt(r.logLikelihood(), 1), fmt(r.objective(), 1),
                    Integer.toString(r.nObs() - (r.theta().length + r.beta().length + 1))};
            sb.append(table(new String[][] {h, v}, 0)).append('\n');
        }
        double sigma = Math.sqrt(r.sigma2());
        double[] sr = r.residuals().clone();
        for (int i = 0; i < sr.length; i++) sr[i] /= sigma;
        Arrays.sort(sr);
        sb.append("Scaled residuals: \n");
        sb.append(table(new String[][] {{"Min", "1Q", "Median", "3Q", "Max"},
                {fmt(sr[0], 4), fmt(q7(sr, .25), 4), fmt(q7(sr, .5), 4), fmt(q7(sr, .75), 4), fmt(sr[sr.length - 1], 4)}}, 0));
        sb.append('\n');
        sb.append("Random effects:\n");
        List<String[]> rows = new ArrayList<>();
        int maxC = 1;
        for (VarComp vc : r.varComps()) maxC = Math.max(maxC, vc.size());
        String[] head2 = Arrays.copyOf(new String[] {"Groups", "Name", "Variance", "Std.Dev."}, maxC > 1 ? 4 + maxC - 1 : 4);
        if (maxC > 1) {
            head2[4] = "Corr";
            for (int i = 5; i < head2.length; i++) head2[i] = "";
        }
        rows.add(head2);
        List<String> groupNames = VarComp.lme4Names(r.varComps());
        for (int t = 0; t < r.varComps().size(); t++) {
            VarComp vc = r.varComps().get(t);
            for (int a = 0; a < vc.size(); a++) {
                String[] row = new String[head2.length];
                Arrays.fill(row, "");
                row[0] = a == 0 ? groupNames.get(t) : "";
                row[1] = vc.columns()[a];
                row[2] = sig(vc.variance(a), 5);
                row[3] = sig(vc.sd(a), 5);
                for (int b = 0; b < a; b++) row[4 + b] = fmt(vc.correlation(a, b), 2);
                rows.add(row);
            }
        }
        String[] resid = new String[head2.length];
        Arrays.fill(resid, "");
        resid[0] = "Residual";
        resid[2] = sig(r.sigma2(), 5);
        resid[3] = sig(sigma, 5);
        rows.add(resid);
        sb.append(table(rows.toArray(new String[0][]), 2));
        sb.append("Number of obs: ").append(r.nObs()).append(", groups:  ");
        List<String> groups = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (ReTerm t : d.terms()) {
            if (seen.contains(t.group())) continue;
            seen.add(t.group());
            groups.add(t.group() + ", " + t.levels());
        }
        sb.append(String.join("; ", groups)).append("\n\n");
        sb.append("Fixed effects:\n");
        List<String[]> fx = new ArrayList<>();
        if (tests == null) {
            fx.add(new String[] {"", "Estimate", "Std. Error", "t value"});
        } else {
            fx.add(new String[] {"", "Estimate", "Std. Error", "df", "t value", "Pr(>|t|)"});
        }
        for (int j = 0; j < r.beta().length; j++) {
            double se = r.stdError(j);
            if (tests == null) {
                fx.add(new String[] {r.fixedNames()[j], sig(r.beta()[j], 5), sig(se, 5), fmt(r.beta()[j] / se, 3)});
            } else {
                Satterthwaite.TTest t = tests.coefficients().get(j);
                fx.add(new String[] {r.fixedNames()[j], sig(r.beta()[j], 5), sig(se, 5), sig(t.df(), 5), fmt(t.t(), 3), pvalue(t.p())});
            }
        }
        sb.append(table(fx.toArray(new String[0][]), 1));
        if (tests != null && !tests.terms().isEmpty()) {
            sb.append("\nType III F tests of fixed terms (Satterthwaite's method), as lmerTest's anova:\n");
            List<String[]> ft = new ArrayList<>();
            ft.add(new String[] {"", "NumDF", "DenDF", "F value", "Pr(>F)"});
            for (Satterthwaite.FTest t : tests.terms()) {
                ft.add(new String[] {t.term(), Integer.toString(t.numDf()), sig(t.denDf(), 5), sig(t.f(), 5), pvalue(t.p())});
            }
            sb.append(table(ft.toArray(new String[0][]), 1));
        }
        if (tests != null && !tests.components().isEmpty()) {
            sb.append("\nLikelihood-ratio tests of random effects (p on the boundary: 50:50 chi-square mixture):\n");
            List<String[]> rt = new ArrayList<>();
            rt.add(new String[] {"", "LRT", "Df", "Pr(>Chisq)"});
            for (RandomTermTests.Test t : tests.components()) {
                rt.add(new String[] {t.name(), fmt(t.statistic(), 4), Integer.toString(t.df()), pvalue(t.pValue())});
            }
            sb.append(table(rt.toArray(new String[0][]), 1));
        }
        int p = r.beta().length;
        if (p > 1) {
            sb.append("\nCorrelation of Fixed Effects:\n");
            List<String[]> cr = new ArrayList<>();
            String[] h = new String[p];
            h[0] = "";
            for (int j = 0; j < p - 1; j++) h[j + 1] = abbreviate(r.fixedNames()[j]);
            cr.add(h);
            for (int i = 1; i < p; i++) {
                String[] row = new String[p];
                Arrays.fill(row, "");
                row[0] = abbreviate(r.fixedNames()[i]);
                for (int j = 0; j < i; j++) {
                    double v = r.vcov()[j * p + i] / Math.sqrt(r.vcov()[i * p + i] * r.vcov()[j * p + j]);
                    row[j + 1] = fmt(v, 3);
                }
                cr.add(row);
            }
            sb.append(table(cr.toArray(new String[0][]), 1));
        }
        if (!r.messages().isEmpty()) {
            sb.append('\n');
            for (String m : r.messages()) sb.append(m).append('\n');
        }
        return sb.toString();
    }

    /**
     * The likelihood-ratio comparison laid out like lme4's {@code anova(m1, m2)}: the models by
     * increasing number of parameters, then npar, AIC, BIC, logLik, deviance, and χ², its df and
     * p-value on the larger model's line.
     */
    public static String formatComparison(ModelComparison.Result c, String dataName) {
        StringBuilder sb = new StringBuilder();
        sb.append("Likelihood-ratio test of the nested models")
                .append(c.refitted() ? " (refitted by ML, as lme4's anova() does):\n" : " (" + c.criterion() + " fits):\n");
        sb.append("Data: ").append(dataName).append("\nModels:\n");
        List<ModelComparison.Model> models = c.models();
        for (ModelComparison.Model m : models) sb.append(m.label()).append(": ").append(m.formula()).append('\n');
        String[][] cols = {
            column(models.stream().mapToDouble(ModelComparison.Model::aic).toArray()),
            column(models.stream().mapToDouble(ModelComparison.Model::bic).toArray()),
            column(models.stream().mapToDouble(ModelComparison.Model::logLik).toArray()),
            column(models.stream().mapToDouble(ModelComparison.Model::deviance).toArray())};
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)"});
        for (int i = 0; i < models.size(); i++) {
            boolean larger = i == models.size() - 1;
            rows.add(new String[] {models.get(i).label(), Integer.toString(models.get(i).npar()), cols[0][i], cols[1][i],
                    cols[2][i], cols[3][i], larger ? fmt(c.chisq(), 4) : "", larger ? Integer.toString(c.df()) : "",
                    larger ? pvalue(c.pValue()) : ""});
        }
        sb.append(table(rows.toArray(new String[0][]), 1));
        return sb.toString();
    }

    /** A column of numbers with common decimals, enough for 5 significant digits in each, as R formats a column. */
    static String[] column(double[] v) {
        int decimals = 0;
        for (double x : v) {
            if (x != 0 && Double.isFinite(x)) decimals = Math.max(decimals, 4 - (int) Math.floor(Math.log10(Math.abs(x))));
        }
        decimals = Math.min(decimals, 10);
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) out[i] = fmt(v[i], decimals);
        return out;
    }

    /** A p-value as R prints it: 3 significant digits, "< 2e-16" below that. */
    static String pvalue(double p) {
        if (Double.isNaN(p)) return "NA";
        if (p < 2e-16) return "< 2e-16";
        if (p < 1e-4) return String.format(Locale.ROOT, "%.2e", p);
        return sig(p, 3);
    }

    /** A name shortened to at most 6 characters, in the spirit of R's abbreviate(). */
    static String abbreviate(String s) {
        if (s.length() <= 6) return s;
        if (s.equals("(Intercept)")) return "(Intr)";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 6; i++) {
            char c = s.charAt(i);
            if (i == 0 || "aeiou".indexOf(Character.toLowerCase(c)) < 0) sb.append(c);
        }
        return sb.toString();
    }

    private static double q7(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A number with about {@code digits} significant digits, without exponent for usual sizes. */
    static String sig(double v, int digits) {
        if (v == 0 || !Double.isFinite(v)) return fmt(v, 0);
        int mag = (int) Math.floor(Math.log10(Math.abs(v)));
        int decimals = Math.max(0, digits - 1 - mag);
        if (decimals > 10) return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
        return fmt(v, decimals);
    }

    /** Columns padded to equal width; the first {@code leftColumns} left-aligned, the rest right-aligned. */
    public static String table(String[][] rows, int leftColumns) {
        int cols = rows[0].length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int j = 0; j < cols; j++) w[j] = Math.max(w[j], r[j] == null ? 0 : r[j].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int j = 0; j < cols; j++) {
                String cell = r[j] == null ? "" : r[j];
                boolean left = j < leftColumns;
                String pad = " ".repeat(w[j] - cell.length());
                line.append(left ? cell + pad : pad + cell);
                if (j < cols - 1) line.append(' ');
            }
            sb.append(line.toString().replaceAll("\\s+$", "")).append('\n');
        }
        return sb.toString();
    }
}
