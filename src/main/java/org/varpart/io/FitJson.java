package org.varpart.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varpart.design.Design;
import org.varpart.design.ReTerm;
import org.varpart.lmm.FitResult;
import org.varpart.lmm.VarComp;
import org.varpart.stats.ModelComparison;
import org.varpart.stats.RandomTermTests;
import org.varpart.stats.Satterthwaite;
import org.varpart.stats.Significance;

/** The JSON record of one fit written by {@code varpart fit --json}. */
public final class FitJson {
    private FitJson() {}

    /** The JSON record; {@code tests} (may be null) adds df, t and p per coefficient and the term and component tests. */
    public static String write(FitResult r, Design d, Significance tests) {
        return write(r, d, tests, null);
    }

    /** The JSON record with, when {@code comparison} is not null, the likelihood-ratio comparison with another model. */
    public static String write(FitResult r, Design d, Significance tests, ModelComparison.Result comparison) {
        Json j = new Json(true).beginObject();
        j.field("formula", d.formula());
        j.field("status", r.status().label());
        j.field("message", r.message());
        j.field("n_obs", r.nObs());
        j.field("n_dropped_missing", d.dropped());
        j.field("criterion", r.criterion());
        if (!r.status().hasEstimates()) return j.endObject().toString();
        j.field("objective", r.objective());
        j.field("log_likelihood", r.logLikelihood());
        j.field("aic", r.aic());
        j.field("bic", r.bic());
        j.field("converged", r.converged());
        j.field("singular", r.singular());
        j.field("evaluations", r.evaluations());
        j.key("theta").beginArray();
        for (double t : r.theta()) j.value(t);
        j.endArray();
        j.key("fixed_effects").beginArray();
        for (int k = 0; k < r.beta().length; k++) {
            j.beginObject().field("term", r.fixedNames()[k]).field("estimate", r.beta()[k])
                    .field("std_error", r.stdError(k));
            if (tests != null) {
                Satterthwaite.TTest t = tests.coefficients().get(k);
                j.field("df", t.df()).field("t_value", t.t()).field("p_value", t.p());
            }
            j.endObject();
        }
        j.endArray();
        int p = r.beta().length;
        j.key("vcov").beginArray();
        for (int a = 0; a < p; a++) {
            j.beginArray();
            for (int b = 0; b < p; b++) j.value(r.vcov()[b * p + a]);
            j.endArray();
        }
        j.endArray();
        j.key("variance_components").beginArray();
        List<String> groupNames = VarComp.lme4Names(r.varComps());
        for (int t = 0; t < r.varComps().size(); t++) {
            VarComp vc = r.varComps().get(t);
            for (int a = 0; a < vc.size(); a++) {
                j.beginObject().field("group", groupNames.get(t)).field("term", vc.columns()[a])
                        .field("variance", vc.variance(a)).field("std_dev", vc.sd(a)).endObject();
            }
        }
        j.endArray();
        j.key("correlations").beginArray();
        for (int t = 0; t < r.varComps().size(); t++) {
            VarComp vc = r.varComps().get(t);
            for (int a = 0; a < vc.size(); a++) {
                for (int b = a + 1; b < vc.size(); b++) {
                    j.beginObject().field("group", groupNames.get(t)).field("term1", vc.columns()[a])
                            .field("term2", vc.columns()[b]).field("correlation", vc.correlation(b, a)).endObject();
                }
            }
        }
        j.endArray();
        j.field("residual_variance", r.sigma2());
        j.key("groups").beginArray();
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (ReTerm t : d.terms()) groups.putIfAbsent(t.group(), t.levels());
        groups.forEach((g, n) -> j.beginObject().field("group", g).field("levels", n).endObject());
        j.endArray();
        if (tests != null) {
            j.key("term_tests").beginArray();
            for (Satterthwaite.FTest t : tests.terms()) {
                j.beginObject().field("term", t.term()).field("num_df", t.numDf()).field("den_df", t.denDf())
                        .field("f_value", t.f()).field("p_value", t.p()).endObject();
            }
            j.endArray();
            j.key("component_tests").beginArray();
            for (RandomTermTests.Test t : tests.components()) {
                j.beginObject().field("component", t.name()).field("lrt_statistic", t.statistic())
                        .field("df", t.df()).field("p_value", t.pValue()).endObject();
            }
            j.endArray();
        }
        if (comparison != null) comparison(j, comparison);
        j.key("messages").beginArray();
        for (String m : r.messages()) j.value(m);
        j.endArray();
        return j.endObject().toString();
    }

    private static void comparison(Json j, ModelComparison.Result c) {
        j.key("comparison").beginObject();
        j.field("refitted_ml", c.refitted()).field("criterion", c.criterion());
        j.key("models").beginArray();
        for (ModelComparison.Model m : c.models()) {
            j.beginObject().field("name", m.label()).field("formula", m.formula()).field("npar", m.npar())
                    .field("aic", m.aic()).field("bic", m.bic()).field("log_likelihood", m.logLik())
                    .field("deviance", m.deviance()).endObject();
        }
        j.endArray();
        j.field("chisq", c.chisq()).field("df", c.df()).field("p_value", c.pValue());
        j.endObject();
    }
}
