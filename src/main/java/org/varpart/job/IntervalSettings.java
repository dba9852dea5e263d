package org.varpart.job;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import org.varpart.InputException;
import org.varpart.stats.FractionBootstrap;

/**
 * The confidence-interval settings of a run ({@code ci}, {@code ci_replicates}, {@code ci_level},
 * {@code ci_method}, {@code seed}): whether each feature's fractions get a parametric-bootstrap
 * interval ({@link FractionBootstrap}), from how many replicates, at which level, read how, and
 * the run's seed from which each feature's random stream is derived (with the assay and the
 * feature ID, so that a rerun, a resume or a retried task draws the same replicates).
 *
 * <p>The default method is {@code logit_basic} (replicates from the feature's REML fit, REML
 * refits, reflected on the logit scale): on simulated studies with known fractions its coverage
 * is near the nominal level where the percentile interval (variancePartition's
 * {@code varPartConfInf}) under-covers components estimated from few levels (docs/intervals.md).
 */
public record IntervalSettings(boolean enabled, int replicates, double level, FractionBootstrap.Method method, long seed)
        implements Serializable {

    /** Intervals off (the default). */
    public static final IntervalSettings NONE = new IntervalSettings(false, 200, 0.95, FractionBootstrap.Method.LOGIT_BASIC, 1);

    /** The keys, their defaults and their documentation, in {@link JobConfig}'s form. */
    static void declare(Map<String, String[]> keys) {
        keys.put("ci", new String[] {"false", "per-feature confidence intervals of the fractions by a parametric bootstrap (ci_lower, ci_upper in fractions)"});
        keys.put("ci_replicates", new String[] {"200", "bootstrap replicates per feature (at least 10)"});
        keys.put("ci_level", new String[] {"0.95", "the intervals' level, in (0, 1)"});
        keys.put("ci_method", new String[] {"logit_basic", "logit_basic (from the REML fit, reflected on the logit scale; calibrated better) or percentile (as varPartConfInf)"});
        keys.put("seed", new String[] {"1", "the run's random seed; each feature's stream comes from it, the assay and the feature ID"});
    }

    /** Checks and normalises the keys' values; a bad one fails naming the key and the value. */
    static void validate(Map<String, String> v, java.util.function.Function<String, String> where) {
        String ci = v.get("ci").toLowerCase(Locale.ROOT);
        if (!ci.equals("true") && !ci.equals("false")) throw bad(where, "ci", "true or false", v.get("ci"));
        v.put("ci", ci);
        try {
            if (Integer.parseInt(v.get("ci_replicates")) < 10) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw bad(where, "ci_replicates", "a whole number of at least 10", v.get("ci_replicates"));
        }
        try {
            double level = Double.parseDouble(v.get("ci_level"));
            if (!(level > 0 && level < 1)) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw bad(where, "ci_level", "a number between 0 and 1", v.get("ci_level"));
        }
        String m = v.get("ci_method").toLowerCase(Locale.ROOT);
        if (!m.equals("logit_basic") && !m.equals("percentile")) throw bad(where, "ci_method", "logit_basic or percentile", v.get("ci_method"));
        v.put("ci_method", m);
        try {
            Long.parseLong(v.get("seed"));
        } catch (NumberFormatException e) {
            throw bad(where, "seed", "a whole number", v.get("seed"));
        }
    }

    private static InputException bad(java.util.function.Function<String, String> where, String key, String what, String value) {
        return new InputException(where.apply(key) + ": " + key + " must be " + what + ", not '" + value + "'.");
    }

    /** The settings of a validated configuration. */
    public static IntervalSettings of(JobConfig cfg) {
        return new IntervalSettings(cfg.flag("ci"), cfg.integer("ci_replicates"), Double.parseDouble(cfg.get("ci_level")),
                FractionBootstrap.Method.valueOf(cfg.get("ci_method").toUpperCase(Locale.ROOT)), Long.parseLong(cfg.get("seed")));
    }

    /** The feature's seed: the run's seed mixed with the assay and the feature ID. */
    public long featureSeed(String assay, String feature) {
        return FractionBootstrap.seed(seed, assay + "\t" + feature);
    }
}
