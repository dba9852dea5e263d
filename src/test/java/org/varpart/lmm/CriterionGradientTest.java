package org.varpart.lmm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.varpart.io.TableReader;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;

/**
 * The analytic gradient of the profiled criterion (blocked Cholesky, {@link CriterionGradient},
 * and the Schur complement of a scalar first term, {@link SchurObjective#gradient}) against
 * central differences of the criterion itself, refined by one Richardson extrapolation, on
 * corpus models with scalar, vector, crossed and nested terms, REML and ML, at a θ away from
 * the optimum (so that the gradient is far from zero). Tolerance: 1e-6 relative to the largest
 * component (the differences are good to about 1e-8 there).
 */
class CriterionGradientTest {
    private static final List<String[]> MODELS = List.of(
            new String[] {"sleepstudy.csv", "Reaction ~ Days + (Days | Subject)"},
            new String[] {"penicillin.csv", "diameter ~ 1 + (1 | plate) + (1 | sample)"},
            new String[] {"carrots.csv", "Preference ~ sens1 + sens2 + Homesize + (1 + sens1 + sens2 | Consumer) + (1 | Product)"},
            new String[] {"pixel.csv", "pixel ~ day + I(day^2) + (day | Dog) + (1 | Side:Dog)"},
            new String[] {"machines.csv", "score ~ Machine + (0 + Machine | Worker)"},
            new String[] {"pastes.csv", "strength ~ 1 + (1 | batch/cask)"},
            new String[] {"omics_large_theta.csv", "y1 ~ age + sex + (1 | patient) + (1 | lab) + (1 | batch)"});

    @Test
    void analyticGradientMatchesDifferences() {
        for (String[] m : MODELS) {
            Design d = DesignBuilder.build(ModelSpec.parse(m[1]), TableReader.read(CorpusTest.ROOT.resolve("data").resolve(m[0])));
            LmmModel md = new LmmModel(d);
            SchurObjective schur = SchurObjective.forDesign(md);
            if (schur != null) schur.setResponse(ResponseStatistics.of(d, d.y()));
            double[] theta = md.start();
            for (int i = 0; i < theta.length; i++) theta[i] = theta[i] == 0 ? 0.1 * (i % 3 - 1) : 0.6 + 0.13 * i;
            for (boolean reml : new boolean[] {true, false}) {
                double[] analytic = new double[theta.length];
                md.objective(theta, reml);
                assertTrue(CriterionGradient.of(md, reml, analytic));
                double[] fd = differences(th -> md.objective(th, reml), theta);
                check(m[1] + (reml ? " REML" : " ML") + " (blocked Cholesky)", analytic, fd);
                if (schur != null && schur.hasGradient()) {
                    double[] viaSchur = new double[theta.length];
                    schur.objective(theta, reml);
                    assertTrue(schur.gradient(theta, reml, viaSchur));
                    check(m[1] + (reml ? " REML" : " ML") + " (Schur complement)", viaSchur, fd);
                }
            }
        }
    }

    private static void check(String what, double[] analytic, double[] fd) {
        double scale = 1;
        for (double v : fd) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < fd.length; i++) {
            double err = Math.abs(analytic[i] - fd[i]) / scale;
            assertTrue(err <= 1e-6, String.format(Locale.ROOT, "%s: θ%d analytic %.10g, differences %.10g (relative error %.2e)",
                    what, i, analytic[i], fd[i], err));
        }
    }

    /** Central differences with steps h and h/2, combined by Richardson extrapolation. */
    static double[] differences(java.util.function.ToDoubleFunction<double[]> f, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double h = 1e-3 * Math.max(0.1, Math.abs(x[i]));
            double d1 = central(f, x, i, h), d2 = central(f, x, i, h / 2);
            g[i] = (4 * d2 - d1) / 3;
        }
        return g;
    }

    private static double central(java.util.function.ToDoubleFunction<double[]> f, double[] x, int i, double h) {
        double[] y = x.clone();
        y[i] = x[i] + h;
        double fp = f.applyAsDouble(y);
        y[i] = x[i] - h;
        double fm = f.applyAsDouble(y);
        return (fp - fm) / (2 * h);
    }
}
