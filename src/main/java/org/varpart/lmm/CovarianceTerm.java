package org.varpart.lmm;

import java.util.ArrayList;
import java.util.List;
import org.varpart.design.ReTerm;

/**
 * The covariance of one random-effects term (docs/model.md#covariance-parameters): its slice of
 * θ, the bounds and start values of that slice, the relative factor T(θ) and the products of a
 * matrix with Λ = I_g ⊗ T from either side, and the scale-inflate step TᵀAₗT + I of a
 * block-diagonal first term. Every objective path reads θ through these methods, so the layout
 * of θ is written once.
 *
 * <p>θ lists the lower triangle of T column by column; T is stored column-major, entry (row r,
 * column s) at {@code s·c + r}. The term's q = g·c coefficients are ordered level by level.
 */
public final class CovarianceTerm {
    private final ReTerm term;
    private final int offset;
    private final int c, g;

    private CovarianceTerm(ReTerm term, int offset) {
        this.term = term;
        this.offset = offset;
        this.c = term.columns();
        this.g = term.levels();
    }

    /** One covariance term per random-effects term, their θ slices laid end to end in order. */
    public static List<CovarianceTerm> of(List<ReTerm> terms) {
        List<CovarianceTerm> out = new ArrayList<>(terms.size());
        int offset = 0;
        for (ReTerm t : terms) {
            out.add(new CovarianceTerm(t, offset));
            offset += t.nTheta();
        }
        return List.copyOf(out);
    }

    /** The length of θ for all the terms. */
    public static int nTheta(List<CovarianceTerm> terms) {
        return terms.isEmpty() ? 0 : terms.get(terms.size() - 1).end();
    }

    /** lme4's start for all the terms: T = I. */
    public static double[] start(List<CovarianceTerm> terms) {
        double[] theta = new double[nTheta(terms)];
        for (CovarianceTerm t : terms) {
            int idx = t.offset;
            for (int col = 0; col < t.c; col++) {
                for (int row = col; row < t.c; row++) theta[idx++] = row == col ? 1.0 : 0.0;
            }
        }
        return theta;
    }

    /** The lower bounds of θ for all the terms: 0 on the diagonal of each T, −∞ off it. */
    public static double[] lowerBounds(List<CovarianceTerm> terms) {
        double[] lb = new double[nTheta(terms)];
        for (CovarianceTerm t : terms) {
            int idx = t.offset;
            for (int col = 0; col < t.c; col++) {
                for (int row = col; row < t.c; row++) lb[idx++] = row == col ? 0.0 : Double.NEGATIVE_INFINITY;
            }
        }
        return lb;
    }

    /** For each θ, whether it is the only parameter of a scalar term (the criterion then depends on θ²). */
    public static boolean[] scalarThetas(List<CovarianceTerm> terms) {
        boolean[] s = new boolean[nTheta(terms)];
        for (CovarianceTerm t : terms) if (t.c == 1) s[t.offset] = true;
        return s;
    }

    public ReTerm term() {
        return term;
    }

    /** Index in θ of this term's first parameter. */
    public int offset() {
        return offset;
    }

    /** One past the index in θ of this term's last parameter. */
    public int end() {
        return offset + c * (c + 1) / 2;
    }

    /** Columns c of the term. */
    public int columns() {
        return c;
    }

    /** Levels g of the grouping factor. */
    public int levels() {
        return g;
    }

    /** Coefficients q = g·c. */
    public int size() {
        return c * g;
    }

    public boolean scalar() {
        return c == 1;
    }

    /** θ of a scalar term, for which T = (θ) and Λ = θI. */
    public double scalarTheta(double[] theta) {
        return theta[offset];
    }

    /** T(θ), c × c lower triangular, column-major. */
    public double[] factor(double[] theta) {
        double[] tm = new double[c * c];
        int idx = offset;
        for (int col = 0; col < c; col++) {
            for (int row = col; row < c; row++) tm[col * c + row] = theta[idx++];
        }
        return tm;
    }

    /** σ²TTᵀ, the covariance of one level's coefficients (c × c, column-major). */
    public double[] covariance(double[] theta, double sigma2) {
        double[] tm = factor(theta);
        double[] cov = new double[c * c];
        for (int r = 0; r < c; r++) {
            for (int s = 0; s < c; s++) {
                double acc = 0;
                for (int x = 0; x <= Math.min(r, s); x++) acc += tm[x * c + r] * tm[x * c + s];
                cov[s * c + r] = sigma2 * acc;
            }
        }
        return cov;
    }

    /** B ← ΛᵀB for B (rows × cols, column-major) whose rows are this term's coefficients. Overwrites B. */
    public void lmulLambdaT(double[] theta, double[] b, int rows, int cols) {
        if (c == 1) {
            scale(b, theta[offset]);
            return;
        }
        double[] tm = factor(theta);
        double[] tmp = new double[c];
        for (int col = 0; col < cols; col++) {
            for (int lev = 0; lev < g; lev++) lmulFactorT(tm, c, b, col * rows + lev * c, tmp);
        }
    }

    /** B ← BΛ for B (rows × q, column-major) whose columns are this term's coefficients. Overwrites B. */
    public void rmulLambda(double[] theta, double[] b, int rows) {
        if (c == 1) {
            scale(b, theta[offset]);
            return;
        }
        double[] tm = factor(theta);
        double[] tmp = new double[c];
        for (int lev = 0; lev < g; lev++) {
            for (int r = 0; r < rows; r++) rmulFactor(tm, c, b, lev * c * rows + r, rows, tmp);
        }
    }

    /** B ← θB: Λ of a scalar term from either side. */
    private static void scale(double[] b, double th) {
        for (int i = 0; i < b.length; i++) b[i] *= th;
    }

    /**
     * x ← Tᵀx for the c contiguous entries x = b[pos … pos+c−1] (one level's rows of one column).
     * {@code tmp} is workspace of length c.
     */
    static void lmulFactorT(double[] tm, int c, double[] b, int pos, double[] tmp) {
        for (int u = 0; u < c; u++) {
            double s = 0;
            for (int v = u; v < c; v++) s += tm[u * c + v] * b[pos + v];
            tmp[u] = s;
        }
        System.arraycopy(tmp, 0, b, pos, c);
    }

    /**
     * x ← xT for the c entries x = b[pos + v·stride], v = 0 … c−1 (one level's columns of one
     * row of a column-major matrix with leading dimension {@code stride}).
     */
    static void rmulFactor(double[] tm, int c, double[] b, int pos, int stride, double[] tmp) {
        for (int u = 0; u < c; u++) {
            double s = 0;
            for (int v = u; v < c; v++) s += b[pos + v * stride] * tm[u * c + v];
            tmp[u] = s;
        }
        for (int u = 0; u < c; u++) b[pos + u * stride] = tmp[u];
    }

    /** b = Λu for this term (q values, level by level). */
    public double[] lambdaTimes(double[] theta, double[] u) {
        double[] tm = factor(theta);
        double[] b = new double[u.length];
        for (int lev = 0; lev < g; lev++) {
            for (int r = 0; r < c; r++) {
                double s = 0;
                for (int v = 0; v <= r; v++) s += tm[v * c + r] * u[lev * c + v];
                b[lev * c + r] = s;
            }
        }
        return b;
    }

    /**
     * The scale-inflate step and the factorisation of a block-diagonal first term: for each level
     * l, L_l is the lower Cholesky factor of TᵀA_lT + I. {@code a} holds the g blocks A_l of c × c
     * (column-major, full); {@code l} receives the factors in the same layout (for c = 1 one
     * number per level, √(θ²A_l + 1)). Returns whether every block was positive definite.
     */
    public boolean scaleInflateFactor(double[] theta, double[] a, double[] l) {
        System.arraycopy(a, 0, l, 0, l.length);
        if (c == 1) {
            double th = theta[offset];
            double th2 = th * th;
            for (int lev = 0; lev < g; lev++) l[lev] = Math.sqrt(th2 * l[lev] + 1.0);
            return true;
        }
        boolean ok = true;
        double[] tm = factor(theta);
        double[] blk = new double[c * c];
        for (int lev = 0; lev < g; lev++) {
            int off = lev * c * c;
            for (int u = 0; u < c; u++) {
                for (int v = 0; v < c; v++) {
                    double s = 0;
                    for (int x = u; x < c; x++) {
                        for (int y = v; y < c; y++) s += tm[u * c + x] * a[off + y * c + x] * tm[v * c + y];
                    }
                    blk[v * c + u] = s + (u == v ? 1.0 : 0.0);
                }
            }
            System.arraycopy(blk, 0, l, off, c * c);
            if (!Dense.cholSmall(c, l, off)) ok = false;
        }
        return ok;
    }
}
