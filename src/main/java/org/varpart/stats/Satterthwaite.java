package org.varpart.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.varpart.design.Design;
import org.varpart.lmm.Convergence;
import org.varpart.lmm.CriterionGradient;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.LmmModel;

/**
 * Satterthwaite's degrees of freedom for fixed-effect contrasts, as lmerTest computes them
 * (docs/model.md#satterthwaite-degrees-of-freedom). With φ = (θ, σ) and D(φ) = log|L|² [+ log|R_X|²
 * for REML] + ν log(2πσ²) + r²/σ² (ν = n for ML, n − p for REML; {@link LmmModel#unprofiledObjective}),
 * A = 2H⁻¹ for H the Hessian of D at the
 * optimum (pseudo-inverse over eigenvalues above 1e-8), and Var(β̂)(φ) = σ²(R_XᵀR_X)⁻¹(θ):
 * for a contrast L, v = LᵀVar(β̂)L, g = ∂v/∂φ and df = 2v²/(gᵀAg). For a multi-row L (a
 * term's F test) lmerTest's rule is used: t tests along the eigenvectors of L Var(β̂) Lᵀ, then
 * E = Σ νₘ/(νₘ − 2) and df = 2E/(E − q). H is central differences of the analytic gradient of D
 * (second differences of D where there is none), the Jacobian of Var(β̂) central differences,
 * each refined by one Richardson extrapolation.
 *
 * <p>It works on the fit's own {@link LmmModel} (the structure of the design, built once),
 * replacing its response by y − Xβ̂; the model is left at θ̂.
 */
public final class Satterthwaite {
    private final LmmModel model;
    private final double[] phi;
    private final boolean reml;
    private final int n, p;
    private final double[][] a;          // 2 H⁻¹ (pseudo-inverse)
    private final double[][][] jacobian; // ∂Var(β̂)/∂φᵢ, p × p each
    private final double[] beta;
    private final double[][] vcov;

    /** One test of a fixed-effect coefficient. */
    public record TTest(String name, double estimate, double stdError, double df, double t, double p) {}

    /** One F test of a term's coefficients. */
    public record FTest(String term, int numDf, double denDf, double f, double p) {}

    /** The derivatives for a fit of the design's own response, on a model built for it. */
    public Satterthwaite(Design design, FitResult fit, boolean reml) {
        this(new LmmModel(design), fit, design.y(), reml);
    }

    /**
     * @param model the model of the fit's design (its response and θ are replaced)
     * @param fit a fit with estimates on that design
     * @param y the response that was fitted
     */
    public Satterthwaite(LmmModel model, FitResult fit, double[] y, boolean reml) {
        Design design = model.design();
        this.model = model;
        // r² is the square of L's last diagonal entry, which loses about log10(yᵀy / r²) digits to
        // cancellation, enough to roughen second differences of D. The response less the fitted
        // fixed part has the same r² at every θ (β absorbs the shift) and a far smaller yᵀy.
        model.setResponse(lessFixedPart(design, y, fit.beta()));
        this.reml = reml;
        this.n = design.n();
        this.p = design.p();
        int nt = fit.theta().length;
        phi = new double[nt + 1];
        System.arraycopy(fit.theta(), 0, phi, 0, nt);
        phi[nt] = Math.sqrt(fit.sigma2());
        this.beta = fit.beta().clone();
        this.vcov = new double[p][p];
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) vcov[i][j] = fit.vcov()[j * p + i];
        this.a = twiceInverseHessian();
        this.jacobian = vcovJacobian();
        model.setTheta(fit.theta());
    }

    private static double[] lessFixedPart(Design d, double[] response, double[] beta) {
        double[] y = response.clone();
        for (int j = 0; j < beta.length; j++) {
            for (int i = 0; i < y.length; i++) y[i] -= d.x(i, j) * beta[j];
        }
        return y;
    }

    /** D(φ) of lmerTest's {@code devfun_vp}. */
    private double deviance(double[] x) {
        int nt = x.length - 1;
        double[] th = java.util.Arrays.copyOf(x, nt);
        model.setTheta(th);
        return model.unprofiledObjective(reml, x[nt] * x[nt]);
    }

    private double step(int i) {
        return 1e-3 * Math.max(Math.abs(phi[i]), 0.1);
    }

    private double[][] hessian(double scale) {
        int m = phi.length;
        double[][] h = new double[m][m];
        double f0 = deviance(phi);
        double[] fp = new double[m], fm = new double[m];
        for (int i = 0; i < m; i++) {
            double hi = step(i) * scale;
            fp[i] = deviance(Convergence.shift(phi, i, hi, -1, 0));
            fm[i] = deviance(Convergence.shift(phi, i, -hi, -1, 0));
            h[i][i] = (fp[i] - 2 * f0 + fm[i]) / (hi * hi);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                double hi = step(i) * scale, hj = step(j) * scale;
                double fpp = deviance(Convergence.shift(phi, i, hi, j, hj));
                double fmm = deviance(Convergence.shift(phi, i, -hi, j, -hj));
                double fpm = deviance(Convergence.shift(phi, i, hi, j, -hj));
                double fmp = deviance(Convergence.shift(phi, i, -hi, j, hj));
                h[i][j] = h[j][i] = (fpp - fpm - fmp + fmm) / (4 * hi * hj);
            }
        }
        return h;
    }

    /**
     * ∂D/∂φ: the analytic gradient in θ ({@link CriterionGradient#unprofiled}) and
     * ∂D/∂σ = 2ν/σ − 2r²/σ³; null where the factorisation fails.
     */
    private double[] gradient(double[] x) {
        int nt = x.length - 1;
        double s = x[nt], nu = reml ? n - p : n;
        double[] g = new double[x.length];
        if (!CriterionGradient.unprofiled(model, java.util.Arrays.copyOf(x, nt), reml, s * s, g)) return null;
        g[nt] = 2 * nu / s - 2 * model.pwrss() / (s * s * s);
        return g;
    }

    /**
     * H by central differences of the analytic gradient (first differences of an exact
     * function: their rounding error is ε/h rather than the ε/h² of second differences of D, so
     * H no longer follows the last bits of the BLAS); null where a gradient is not available.
     */
    private double[][] hessianOfGradient(double scale) {
        int m = phi.length;
        double[][] h = new double[m][m];
        for (int j = 0; j < m; j++) {
            double hj = step(j) * scale;
            double[] gp = gradient(Convergence.shift(phi, j, hj, -1, 0)), gm = gradient(Convergence.shift(phi, j, -hj, -1, 0));
            if (gp == null || gm == null) return null;
            for (int i = 0; i < m; i++) h[i][j] = (gp[i] - gm[i]) / (2 * hj);
        }
        for (int i = 0; i < m; i++) for (int j = 0; j < i; j++) h[i][j] = h[j][i] = (h[i][j] + h[j][i]) / 2;
        return h;
    }

    /** 2H⁻¹ with H by Richardson-extrapolated central differences (of the gradient where it is available). */
    private double[][] twiceInverseHessian() {
        double[][] h1 = hessianOfGradient(1), h2 = h1 == null ? null : hessianOfGradient(0.5);
        if (h2 == null) {
            h1 = hessian(1);
            h2 = hessian(0.5);
        }
        int m = phi.length;
        double[][] h = new double[m][m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) h[i][j] = (4 * h2[i][j] - h1[i][j]) / 3;
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(h));
        RealMatrix inv = new Array2DRowRealMatrix(m, m);
        for (int k = 0; k < m; k++) {
            double ev = eig.getRealEigenvalue(k);
            if (ev > 1e-8) {
                RealMatrix v = eig.getV().getColumnMatrix(k);
                inv = inv.add(v.multiply(v.transpose()).scalarMultiply(2 / ev));
            }
        }
        return inv.getData();
    }

    private double[][] vcovAt(double[] x) {
        int nt = x.length - 1;
        model.setTheta(java.util.Arrays.copyOf(x, nt));
        double s2 = x[nt] * x[nt];
        double[] u = model.unscaledVcov();
        double[][] v = new double[p][p];
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) v[i][j] = s2 * u[j * p + i];
        return v;
    }

    private double[][][] vcovJacobian() {
        int m = phi.length;
        double[][][] jac = new double[m][][];
        for (int i = 0; i < m; i++) {
            double h = step(i);
            double[][] d1 = centralDifference(i, h), d2 = centralDifference(i, h / 2);
            double[][] d = new double[p][p];
            for (int r = 0; r < p; r++) for (int c = 0; c < p; c++) d[r][c] = (4 * d2[r][c] - d1[r][c]) / 3;
            jac[i] = d;
        }
        return jac;
    }

    private double[][] centralDifference(int i, double h) {
        double[][] plus = vcovAt(Convergence.shift(phi, i, h, -1, 0)), minus = vcovAt(Convergence.shift(phi, i, -h, -1, 0));
        double[][] d = new double[p][p];
        for (int r = 0; r < p; r++) for (int c = 0; c < p; c++) d[r][c] = (plus[r][c] - minus[r][c]) / (2 * h);
        return d;
    }

    private static double quadratic(double[] l, double[][] m) {
        double s = 0;
        for (int i = 0; i < l.length; i++) for (int j = 0; j < l.length; j++) s += l[i] * m[i][j] * l[j];
        return s;
    }

    /** Satterthwaite df of the contrast lᵀβ. */
    public double df(double[] l) {
        double v = quadratic(l, vcov);
        double[] g = new double[phi.length];
        for (int i = 0; i < g.length; i++) g[i] = quadratic(l, jacobian[i]);
        double denom = quadratic(g, a);
        return 2 * v * v / denom;
    }

    /** The t test of each coefficient. */
    public List<TTest> coefficientTests(String[] names) {
        List<TTest> out = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            double[] l = new double[p];
            l[j] = 1;
            double se = Math.sqrt(vcov[j][j]);
            double df = df(l);
            double t = beta[j] / se;
            out.add(new TTest(names[j], beta[j], se, df, t, twoSidedP(t, df)));
        }
        return out;
    }

    /** P(F(d1, d2) > f), from the regularised beta function so that tiny tails do not round to 0. */
    static double fTail(double f, double d1, double d2) {
        if (!(d2 > 0) || Double.isNaN(f)) return Double.NaN;
        if (f <= 0) return 1;
        return org.apache.commons.math3.special.Beta.regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
    }

    static double twoSidedP(double t, double df) {
        if (!(df > 0) || Double.isNaN(t)) return Double.NaN;
        return 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(t));
    }

    /** The F test that the coefficients in {@code columns} are all zero. */
    public FTest fTest(String term, int[] columns) {
        double[][] l = new double[columns.length][p];
        for (int i = 0; i < columns.length; i++) l[i][columns[i]] = 1;
        return fTest(term, l);
    }

    /**
     * The F test of the hypothesis Lβ = 0 as lmerTest's {@code contestMD}: with LVLᵀ = PDPᵀ
     * (eigenvalues in decreasing order, those at most √ε·d₁ dropped, q kept), F is the mean of
     * (pₘᵀLβ)²/dₘ over the q kept directions, each with its Satterthwaite df νₘ, combined into
     * the denominator df by {@link TermFTests#fDenominatorDf}.
     */
    public FTest fTest(String term, double[][] lc) {
        int r = lc.length;
        double[][] vl = new double[r][r];
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) vl[i][j] = bilinear(lc[i], lc[j]);
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(vl));
        double[] d = eig.getRealEigenvalues().clone();
        Integer[] order = new Integer[r];
        for (int m = 0; m < r; m++) order[m] = m;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(d[b], d[a]));
        double tol = Math.max(Math.sqrt(Math.ulp(1.0)) * d[order[0]], 0);
        List<Double> nus = new ArrayList<>();
        double fsum = 0;
        for (int m = 0; m < r; m++) {
            double dm = d[order[m]];
            if (!(dm > tol)) continue;
            double[] pv = eig.getEigenvector(order[m]).toArray();
            double[] l = new double[p];
            for (int i = 0; i < r; i++) for (int k = 0; k < p; k++) l[k] += pv[i] * lc[i][k];
            double lb = 0;
            for (int k = 0; k < p; k++) lb += l[k] * beta[k];
            fsum += lb * lb / dm;
            nus.add(df(l));
        }
        int q = nus.size();
        if (q == 0) return new FTest(term, 0, Double.NaN, Double.NaN, Double.NaN);
        double f = fsum / q;
        double ddf = TermFTests.fDenominatorDf(nus.stream().mapToDouble(Double::doubleValue).toArray());
        return new FTest(term, q, ddf, f, fTail(f, q, ddf));
    }

    private double bilinear(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < p; i++) {
            if (a[i] == 0) continue;
            for (int j = 0; j < p; j++) s += a[i] * vcov[i][j] * b[j];
        }
        return s;
    }

    /**
     * The F test of each fixed term (not the intercept): lmerTest's type III test, see
     * {@link TermFTests#of}.
     */
    public List<FTest> termTests(Design d) {
        return TermFTests.of(this, d);
    }
}
