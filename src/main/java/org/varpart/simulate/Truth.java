package org.varpart.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The true parameters: fixed effects by coefficient name (as varpart and lme4 name them), and
 * per grouping factor the standard deviations of its random effects and their correlation.
 */
public final class Truth {
    /** One true value; {@code kind} is fixed, sd, corr or residual_sd. */
    public record Parameter(String kind, String group, String term, double value) {}

    private final List<Parameter> parameters = new ArrayList<>();

    Truth fixed(String coefficient, double v) {
        parameters.add(new Parameter("fixed", "", coefficient, v));
        return this;
    }

    Truth sd(String group, String term, double v) {
        parameters.add(new Parameter("sd", group, term, v));
        return this;
    }

    Truth corr(String group, String term1, String term2, double v) {
        parameters.add(new Parameter("corr", group, term1 + "|" + term2, v));
        return this;
    }

    Truth residual(double sd) {
        parameters.add(new Parameter("residual_sd", "Residual", "", sd));
        return this;
    }

    public List<Parameter> parameters() {
        return List.copyOf(parameters);
    }

    /** The value of a parameter. */
    public double get(String kind, String group, String term) {
        for (Parameter p : parameters) {
            if (p.kind().equals(kind) && p.group().equals(group) && p.term().equals(term)) return p.value();
        }
        throw new IllegalArgumentException("no true " + kind + " " + group + " " + term);
    }

    /** The fixed part: the intercept plus the other coefficients times the given column values, in order. */
    double fixedPart(double... columns) {
        List<Parameter> f = parameters.stream().filter(p -> p.kind().equals("fixed")).toList();
        if (columns.length != f.size() - 1) throw new IllegalStateException("need " + (f.size() - 1) + " columns");
        double s = f.get(0).value();
        for (int j = 0; j < columns.length; j++) s += f.get(j + 1).value() * columns[j];
        return s;
    }

    /**
     * One observation of a two-arm growth-curve design (intercept, arm, time, arm × time, and a
     * random intercept and slope b): the fixed part, the subject's deviation and a residual.
     */
    double armByTime(double treated, double time, double[] b, Random rnd) {
        return fixedPart(treated, time, treated * time) + b[0] + b[1] * time + noise(rnd);
    }

    /** One residual draw. */
    double noise(Random rnd) {
        return get("residual_sd", "Residual", "") * rnd.nextGaussian();
    }

    /** One level's random effects: standard normals turned into the group's SDs and correlation. */
    double[] draw(Random rnd, String group) {
        List<Parameter> sds = parameters.stream().filter(p -> p.kind().equals("sd") && p.group().equals(group)).toList();
        double[] z = new double[sds.size()];
        for (int a = 0; a < z.length; a++) z[a] = rnd.nextGaussian();
        if (z.length == 1) return new double[] {sds.get(0).value() * z[0]};
        if (z.length != 2) throw new IllegalStateException("two random effects per group at most");
        double rho = get("corr", group, sds.get(0).term() + "|" + sds.get(1).term());
        return new double[] {sds.get(0).value() * z[0],
                sds.get(1).value() * (rho * z[0] + StrictMath.sqrt(1 - rho * rho) * z[1])};
    }
}
