package org.varpart.gwas;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * The genetic relationship matrix and its eigendecomposition. GEMMA's centred relatedness
 * ({@code -gk 1}): for each SNP that passes the checks, x̃ = x − x̄ (missing genotypes at the
 * mean), and K = Σ x̃x̃ᵀ / m over the m SNPs. K is accumulated in square tiles of at most
 * {@link #TILE} samples a side (only tiles on and above the diagonal), so that the sum over SNP
 * blocks can be spread over tasks tile by tile. Matrices are column-major {@code double[]}.
 */
public final class Grm {
    /** The side of a tile. */
    public static final int TILE = 2048;
    private static final BLAS BLAS_ = BLAS.getInstance();
    private static final LAPACK LAPACK_ = LAPACK.getInstance();

    private Grm() {}

    /** How many tiles a side has for n samples. */
    public static int tiles(int n) {
        return (n + TILE - 1) / TILE;
    }

    /** The first sample of tile t, and one past its last. */
    public static int tileStart(int t) {
        return t * TILE;
    }

    public static int tileEnd(int t, int n) {
        return Math.min(n, (t + 1) * TILE);
    }

    /**
     * The rows of tile t of X (n × b, column-major), as a contiguous (rows of t) × b matrix: BLAS
     * is given whole matrices only (netlib checks every column of a sub-matrix up to the full
     * leading dimension).
     */
    public static double[] tileRows(double[] x, int n, int b, int t) {
        int i0 = tileStart(t), r = tileEnd(t, n) - i0;
        double[] out = new double[r * b];
        for (int k = 0; k < b; k++) System.arraycopy(x, k * n + i0, out, k * r, r);
        return out;
    }

    /**
     * Tile (I, J) ← tile + X_I X_Jᵀ, with X_I, X_J the rows of tiles I and J of the centred
     * genotypes of b SNPs ({@link #tileRows}); the tile is (rows of I) × (rows of J), column-major;
     * of a diagonal tile (I = J) only the lower triangle is kept. Overwrites {@code tile}.
     */
    public static void accumulate(double[] xi, int ri, double[] xj, int rj, int b, boolean diagonal, double[] tile) {
        if (b == 0) return;
        // a diagonal tile is symmetric: its lower triangle alone, at half the cost
        if (diagonal) BLAS_.dsyrk("L", "N", ri, b, 1.0, xi, 0, ri, 1.0, tile, 0, ri);
        else BLAS_.dgemm("N", "T", ri, rj, b, 1.0, xi, 0, ri, xj, 0, rj, 1.0, tile, 0, ri);
    }

    /** The full symmetric n × n matrix from its tiles on and above the diagonal, divided by {@code m}. */
    public static double[] assemble(int n, java.util.Map<Long, double[]> tiles, long m) {
        double[] k = new double[n * n];
        int t = tiles(n);
        for (int ti = 0; ti < t; ti++) {
            for (int tj = ti; tj < t; tj++) {
                double[] tile = tiles.get(key(ti, tj));
                int i0 = tileStart(ti), ri = tileEnd(ti, n) - i0, j0 = tileStart(tj), rj = tileEnd(tj, n) - j0;
                for (int j = 0; j < rj; j++) {
                    for (int i = ti == tj ? j : 0; i < ri; i++) {
                        double v = tile == null ? 0 : tile[j * ri + i] / m;
                        k[(j0 + j) * n + i0 + i] = v;
                        k[(i0 + i) * n + j0 + j] = v;
                    }
                }
            }
        }
        return k;
    }

    public static long key(int ti, int tj) {
        return ((long) ti << 32) | tj;
    }

    /**
     * The rows and columns {@code keep} of K, double-centred as GEMMA centres every relatedness
     * matrix it reads: K ← (I − 11ᵀ/n) K (I − 11ᵀ/n). A no-op (to rounding) on a centred GRM of the
     * same samples; needed when samples are left out.
     */
    public static double[] subsetCentred(double[] k, int n, int[] keep) {
        int s = keep.length;
        double[] out = new double[s * s];
        for (int j = 0; j < s; j++) for (int i = 0; i < s; i++) out[j * s + i] = k[keep[j] * n + keep[i]];
        double[] rowMean = new double[s];
        double all = 0;
        for (int j = 0; j < s; j++) {
            double sum = 0;
            for (int i = 0; i < s; i++) sum += out[j * s + i];
            rowMean[j] = sum / s;
            all += sum;
        }
        all /= (double) s * s;
        for (int j = 0; j < s; j++) for (int i = 0; i < s; i++) out[j * s + i] += -rowMean[i] - rowMean[j] + all;
        return out;
    }

    /** Eigenvalues (ascending) and eigenvectors (the columns of U, column-major) of a symmetric matrix. */
    public record Eigen(double[] values, double[] vectors, int n) implements java.io.Serializable {
        /** The mean eigenvalue tr(K)/n (GEMMA's trace_G), after the small ones are set to 0. */
        public double meanValue() {
            double s = 0;
            for (double v : values) s += v;
            return s / n;
        }
    }

    /**
     * K = U diag(d) Uᵀ by LAPACK's divide-and-conquer {@code dsyevd}; eigenvalues below 1e-10 are
     * set to 0, GEMMA's rule. {@code k} is not modified.
     */
    public static Eigen eigen(double[] k, int n) {
        double[] a = k.clone(), w = new double[n];
        intW info = new intW(0);
        double[] work = new double[1];
        int[] iwork = new int[1];
        LAPACK_.dsyevd("V", "L", n, a, n, w, work, -1, iwork, -1, info);
        work = new double[(int) work[0]];
        iwork = new int[iwork[0]];
        LAPACK_.dsyevd("V", "L", n, a, n, w, work, work.length, iwork, iwork.length, info);
        if (info.val != 0) throw new IllegalStateException("the eigendecomposition of the GRM failed (LAPACK dsyevd info " + info.val + ")");
        for (int i = 0; i < n; i++) if (w[i] < 1e-10) w[i] = 0;
        return new Eigen(w, a, n);
    }

    /** Uᵀ X for X n × b column-major; returns n × b. */
    public static double[] rotate(Eigen e, double[] x, int b) {
        int n = e.n();
        double[] out = new double[n * b];
        if (b > 0) BLAS_.dgemm("T", "N", n, b, n, 1.0, e.vectors(), 0, n, x, 0, n, 0.0, out, 0, n);
        return out;
    }
}
