package org.varpart.gwas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.varpart.io.HadoopConf;
import scala.Tuple2;

/**
 * The work of Spark's tasks, each over a range of SNPs read straight from the {@code .bed}: the
 * GRM's tiles summed over the range's SNPs, and the association tests. Genotypes never leave the
 * task that read them.
 */
final class GwasTasks {
    /** SNPs per block: the width of the products X_I X_Jᵀ and Uᵀ X. */
    static final int BLOCK = 256;
    /** The key under which a task reports how many SNPs it added to the GRM. */
    static final long COUNT_KEY = -1L;

    private GwasTasks() {}

    /** A range [first, end) of SNPs in {@code .bim} order. */
    record Range(int first, int end) implements java.io.Serializable {}

    /** Ranges of about equal size covering all SNPs. */
    static List<Range> ranges(int snps, int parts) {
        List<Range> out = new ArrayList<>();
        parts = Math.max(1, Math.min(parts, snps));
        for (int k = 0; k < parts; k++) out.add(new Range((int) ((long) snps * k / parts), (int) ((long) snps * (k + 1) / parts)));
        return out;
    }

    /**
     * The tiles of Σ x̃x̃ᵀ over the SNPs of the ranges that pass the checks among the GRM's
     * samples, keyed by {@link Grm#key}, and their number under {@link #COUNT_KEY}.
     */
    static Iterator<Tuple2<Long, double[]>> grmTiles(Iterator<Range> ranges, PlinkFileset set, int[] samples, double maf, double maxMissing,
                                                     Broadcast<HadoopConf> conf) throws Exception {
        int n = samples.length, t = Grm.tiles(n);
        Map<Long, double[]> tiles = new HashMap<>();
        for (int ti = 0; ti < t; ti++) {
            for (int tj = ti; tj < t; tj++) {
                tiles.put(Grm.key(ti, tj), new double[(Grm.tileEnd(ti, n) - Grm.tileStart(ti)) * (Grm.tileEnd(tj, n) - Grm.tileStart(tj))]);
            }
        }
        double[] x = new double[n * BLOCK], g = new double[n];
        long used = 0;
        while (ranges.hasNext()) {
            Range r = ranges.next();
            try (BedReader in = new BedReader(conf.value().get(), set, samples, r.first())) {
                int b = 0;
                for (int s = r.first(); s < r.end(); s++) {
                    in.next(g);
                    SnpQc.Result q = SnpQc.check(g, maf, maxMissing);
                    if (!q.status().equals(SnpQc.OK)) continue;
                    double mean = 2 * q.af();
                    for (int i = 0; i < n; i++) x[b * n + i] = g[i] - mean;
                    b++;
                    used++;
                    if (b == BLOCK) {
                        addBlock(x, n, b, t, tiles);
                        b = 0;
                    }
                }
                addBlock(x, n, b, t, tiles);
            }
        }
        List<Tuple2<Long, double[]>> out = new ArrayList<>();
        tiles.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        out.add(new Tuple2<>(COUNT_KEY, new double[] {used}));
        return out.iterator();
    }

    private static void addBlock(double[] x, int n, int b, int t, Map<Long, double[]> tiles) {
        if (b == 0) return;
        double[][] rows = new double[t][];
        for (int ti = 0; ti < t; ti++) rows[ti] = Grm.tileRows(x, n, b, ti);
        for (int ti = 0; ti < t; ti++) {
            int ri = Grm.tileEnd(ti, n) - Grm.tileStart(ti);
            for (int tj = ti; tj < t; tj++) {
                Grm.accumulate(rows[ti], ri, rows[tj], Grm.tileEnd(tj, n) - Grm.tileStart(tj), b, ti == tj, tiles.get(Grm.key(ti, tj)));
            }
        }
    }

    /** Element-wise a += b; returns a. */
    static double[] add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }

    /** The association rows (see {@link GwasOutput#ASSOCIATIONS}) of every SNP of the ranges, for every phenotype. */
    static Iterator<Row> associations(Iterator<Range> ranges, PlinkFileset set, int[] samples, List<PhenotypeModel> models, double maf,
                                      double maxMissing, Broadcast<HadoopConf> conf) throws Exception {
        List<Row> out = new ArrayList<>();
        int n = samples.length;
        while (ranges.hasNext()) {
            Range r = ranges.next();
            try (BedReader in = new BedReader(conf.value().get(), set, samples, r.first())) {
                for (int s0 = r.first(); s0 < r.end(); s0 += BLOCK) {
                    int b = Math.min(BLOCK, r.end() - s0);
                    double[][] g = new double[b][n];
                    for (int k = 0; k < b; k++) in.next(g[k]);
                    for (PhenotypeModel pm : models) testBlock(pm, set, s0, g, maf, maxMissing, out);
                }
            }
        }
        return out.iterator();
    }

    private static void testBlock(PhenotypeModel pm, PlinkFileset set, int s0, double[][] g, double maf, double maxMissing, List<Row> out) {
        GwasPlan.Phenotype ph = pm.phenotype();
        int[] rows = ph.rows();
        int n = rows.length, b = g.length;
        double[] x = new double[n * b];
        String[] status = new String[b];
        double[] af = new double[b], pNaive = new double[b];
        int[] nObs = new int[b];
        double[] raw = new double[n], filled = new double[n];
        for (int k = 0; k < b; k++) {
            for (int i = 0; i < n; i++) raw[i] = g[k][rows[i]];
            System.arraycopy(raw, 0, filled, 0, n);
            SnpQc.Result q = SnpQc.check(filled, maf, maxMissing);
            String st = q.status();
            if (st.equals(SnpQc.OK) && SnpQc.collinear(filled, ph.w(), pm.wtwInv(), ph.c())) st = SnpQc.COLLINEAR;
            status[k] = st;
            af[k] = q.af();
            nObs[k] = q.nObserved();
            pNaive[k] = st.equals(SnpQc.OK) ? Ols.pValue(pm.ols(), raw) : Double.NaN;
            System.arraycopy(filled, 0, x, k * n, n);
        }
        double[] utx = Grm.rotate(pm.eigen(), x, b);
        for (int k = 0; k < b; k++) {
            PlinkFileset.Snp snp = set.snps.get(s0 + k);
            if (!status[k].equals(SnpQc.OK)) {
                out.add(RowFactory.create(ph.name(), snp.chr(), snp.id(), snp.pos(), snp.allele1(), snp.allele0(), nan(af[k]), nObs[k],
                        null, null, null, null, null, null, status[k]));
                continue;
            }
            SnpTest.Result t = SnpTest.test(pm.nullModel(), java.util.Arrays.copyOfRange(utx, k * n, (k + 1) * n));
            String st = Double.isNaN(t.pWald()) || Double.isNaN(t.pLrt()) ? "not_converged" : SnpQc.OK;
            out.add(RowFactory.create(ph.name(), snp.chr(), snp.id(), snp.pos(), snp.allele1(), snp.allele0(), af[k], nObs[k],
                    nan(t.beta()), nan(t.se()), nan(t.pWald()), nan(t.pLrt()), nan(t.pScore()), nan(pNaive[k]), st));
        }
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
