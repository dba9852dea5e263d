package org.varpart.counts;

import java.util.ArrayList;
import java.util.List;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;
import org.varpart.stats.ModeratedT;
import org.varpart.stats.SqueezeVar;
import org.varpart.stats.VarianceFractions;

/**
 * The whole counts path on one machine, for a count matrix small enough to hold in memory (a
 * notebook, a test, the reference for the distributed job): filterByExpr, TMM, log-CPM,
 * voomWithDreamWeights (first ML pass, trend, weights), weighted ML fits for the fractions, dream
 * (weighted REML fits, Satterthwaite tests of coefficients and contrasts, residual df), limma's
 * prior and the moderated tests with Benjamini–Hochberg q-values per coefficient or contrast.
 * The samples must have no missing values in the formula's variables (one shared design). The
 * distributed job runs the same pieces pass by pass (docs/counts.md).
 */
public final class CountsPipeline {
    /** How to run: filterByExpr or not, TMM or library sizes only, the lowess span, the contrasts. */
    public record Options(boolean filter, boolean tmm, double span, List<Contrast> contrasts) {
        public static Options defaults(List<Contrast> contrasts) {
            return new Options(true, true, VoomTrend.DEFAULT_SPAN, contrasts);
        }
    }

    /** A moderated test of one coefficient or contrast of one feature. */
    public record Moderated(DreamFit.Test test, double t, double df, double p, double q) {}

    /**
     * One feature: whether it was kept, its voom point, its weights, its fractions (ML), its
     * dream fit and moderated tests (empty when a fit failed).
     */
    public record Feature(String id, boolean kept, double sx, double sqrtSd, double[] weights, FitResult mlFit,
                          List<VarianceFractions.Component> fractions, DreamFit.Result dream, double s2Post,
                          List<Moderated> moderated) {}

    /** Everything of one run. */
    public record Result(double[] libSize, double[] normFactors, VoomTrend trend, SqueezeVar.Prior prior, List<Feature> features) {}

    private CountsPipeline() {}

    /**
     * @param ids feature IDs
     * @param counts features × samples, in the sample sheet's row order
     * @param spec the model, with a response name that is not a column of the sheet
     */
    public static Result run(String[] ids, double[][] counts, DataTable sheet, ModelSpec spec, Options o) {
        int ns = sheet.rows();
        Design base = DesignBuilder.build(spec, sheet, "y", new double[ns]);
        if (base.n() != ns) throw new IllegalArgumentException("the sample sheet has missing values in the formula's variables");
        boolean[] keep = new boolean[counts.length];
        FilterByExpr filter = new FilterByExpr(base.x(), base.n(), base.p(), LogCpm.columnTotals(counts, ns));
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            keep[i] = !o.filter() || filter.keep(counts[i]);
            if (keep[i]) kept.add(counts[i]);
        }
        double[][] keptCounts = kept.toArray(new double[0][]);
        double[] totals = LogCpm.columnTotals(keptCounts, ns);
        double[] nf = o.tmm() ? Tmm.normFactors(keptCounts, totals) : ones(ns);
        double[] lib = LogCpm.effective(totals, nf);
        double offset = LogCpm.sxOffset(lib);

        int g = keptCounts.length;
        double[][] y = new double[g][];
        VoomFirstPass[] first = new VoomFirstPass[g];
        double[] sx = new double[g], sy = new double[g];
        boolean[] use = new boolean[g];
        BlockFitter mlFitter = new BlockFitter(base, FitOptions.mlDefaults().withoutConditionalVariances());
        for (int i = 0; i < g; i++) {
            y[i] = LogCpm.of(keptCounts[i], lib);
            first[i] = VoomFirstPass.of(y[i], mlFitter.fit("y", y[i]));
            sx[i] = first[i].sx(offset);
            sy[i] = first[i].sqrtSd();
            double total = 0;
            for (double c : keptCounts[i]) total += c;
            use[i] = first[i].usable() && total > 0;
        }
        VoomTrend trend = VoomTrend.fit(sx, sy, use, o.span());

        double[][] w = new double[g][];
        FitResult[] ml = new FitResult[g];
        DreamFit.Result[] dream = new DreamFit.Result[g];
        SqueezeVar.Moments moments = new SqueezeVar.Moments();
        List<Double> usableS2 = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            if (!first[i].usable()) continue;
            w[i] = trend.weights(first[i].fitted(), lib);
            DreamFit.Both both = DreamFit.fitBoth(base, y[i], w[i], o.contrasts(), FitOptions.mlDefaults().withoutConditionalVariances(),
                    FitOptions.remlDefaults().withoutConditionalVariances(), true);
            ml[i] = both.ml();
            dream[i] = both.dream();
            if (dream[i].fit().status().hasEstimates() && SqueezeVar.usable(dream[i].fit().sigma2(), dream[i].residualDf())) {
                usableS2.add(Math.max(dream[i].fit().sigma2(), 0));
            }
        }
        double floor = SqueezeVar.floorFor(SqueezeVar.median(usableS2.stream().mapToDouble(Double::doubleValue).toArray()));
        for (int i = 0; i < g; i++) {
            if (dream[i] != null && dream[i].fit().status().hasEstimates()
                    && SqueezeVar.usable(dream[i].fit().sigma2(), dream[i].residualDf())) {
                moments.add(dream[i].fit().sigma2(), dream[i].residualDf(), floor);
            }
        }
        SqueezeVar.Prior prior = usableS2.size() > 1 ? moments.prior() : new SqueezeVar.Prior(0, Double.NaN);
        return new Result(lib, nf, trend, prior, assemble(ids, keep, sx, sy, w, ml, dream, base, prior));
    }

    private static List<Feature> assemble(String[] ids, boolean[] keep, double[] sx, double[] sy, double[][] w, FitResult[] ml,
                                          DreamFit.Result[] dream, Design base, SqueezeVar.Prior prior) {
        double[][] post = new double[dream.length][];
        List<List<ModeratedT.Result>> raw = new ArrayList<>();
        java.util.Map<String, List<double[]>> pByTest = new java.util.LinkedHashMap<>();
        for (int i = 0; i < dream.length; i++) {
            List<ModeratedT.Result> rs = new ArrayList<>();
            if (dream[i] != null && dream[i].fit().status().hasEstimates()) {
                double s2 = dream[i].fit().sigma2(), s2Post = prior.posterior(s2, dream[i].residualDf());
                post[i] = new double[] {s2Post};
                for (DreamFit.Test t : dream[i].tests()) {
                    ModeratedT.Result m = ModeratedT.of(t.estimate(), t.stdError(), s2, s2Post, t.df(), prior.df());
                    rs.add(m);
                    pByTest.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(new double[] {i, rs.size() - 1, m.p()});
                }
            }
            raw.add(rs);
        }
        double[][] q = new double[dream.length][];
        for (int i = 0; i < dream.length; i++) q[i] = new double[raw.get(i).size()];
        for (List<double[]> rows : pByTest.values()) {
            double[] p = new double[rows.size()];
            for (int r = 0; r < p.length; r++) p[r] = rows.get(r)[2];
            double[] qs = ModeratedT.benjaminiHochberg(p);
            for (int r = 0; r < p.length; r++) q[(int) rows.get(r)[0]][(int) rows.get(r)[1]] = qs[r];
        }
        List<Feature> out = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < ids.length; i++) {
            if (!keep[i]) {
                out.add(new Feature(ids[i], false, Double.NaN, Double.NaN, null, null, List.of(), null, Double.NaN, List.of()));
                continue;
            }
            List<Moderated> mods = new ArrayList<>();
            for (int t = 0; t < raw.get(k).size(); t++) {
                ModeratedT.Result m = raw.get(k).get(t);
                mods.add(new Moderated(dream[k].tests().get(t), m.t(), m.df(), m.p(), q[k][t]));
            }
            List<VarianceFractions.Component> fr = ml[k] != null && ml[k].status().hasEstimates()
                    ? VarianceFractions.compute(base, ml[k], w[k]) : List.of();
            out.add(new Feature(ids[i], true, sx[k], sy[k], w[k], ml[k], fr, dream[k], post[k] == null ? Double.NaN : post[k][0], mods));
            k++;
        }
        return out;
    }

    private static double[] ones(int n) {
        double[] o = new double[n];
        java.util.Arrays.fill(o, 1.0);
        return o;
    }
}
