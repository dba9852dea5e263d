package org.varpart.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The textbook designs of the README's worked examples, each simulated from known parameters:
 * the data a scientist would collect (one row per measurement, as a CSV file) and the true values
 * of the model's fixed effects, random-effect standard deviations and correlations, and residual
 * standard deviation. The same seed gives the same file on every JVM ({@link Random} is fully
 * specified and only {@link StrictMath} is used).
 */
public enum ClassicDesign {
    /** Log tumour volume of mice over days; treated mice grow slower; big tumours end a mouse's series early. */
    TUMOUR("tumour", "tumour volume of 40 mice, control or drug, every 3 days to day 30 or a humane endpoint",
            "log(volume) ~ treatment * day + (day | mouse)",
            () -> new Truth()
                    .fixed("(Intercept)", 4.7).fixed("treatmentdrug", 0).fixed("day", 0.11).fixed("treatmentdrug:day", -0.05)
                    .sd("mouse", "(Intercept)", 0.25).sd("mouse", "day", 0.02).corr("mouse", "(Intercept)", "day", 0.3)
                    .residual(0.12),
            ClassicData::tumour),
    /** Quality of life of patients at 0–12 months, placebo or treatment, with drop-out and missed visits. */
    QOL("qol", "quality of life of 200 patients, placebo or treatment, at months 0 to 12; drop-outs",
            "qol ~ arm * month + (month | patient)",
            () -> new Truth()
                    .fixed("(Intercept)", 60).fixed("armtreatment", 0).fixed("month", -0.25).fixed("armtreatment:month", 0.6)
                    .sd("patient", "(Intercept)", 10).sd("patient", "month", 0.5).corr("patient", "(Intercept)", "month", -0.3)
                    .residual(7),
            ClassicData::qol),
    /** Reaction times that fall with practice along log(trial), slower in the incongruent condition. */
    PRACTICE("practice", "reaction times of 36 people over 60 trials, congruent or incongruent; errors missing",
            "rt ~ log(trial) + condition + (log(trial) | participant)",
            () -> new Truth()
                    .fixed("(Intercept)", 650).fixed("log(trial)", -55).fixed("conditionincongruent", 40)
                    .sd("participant", "(Intercept)", 60).sd("participant", "log(trial)", 12)
                    .corr("participant", "(Intercept)", "log(trial)", -0.4)
                    .residual(50),
            ClassicData::practice),
    /** Test scores of students over four years, in classrooms in districts; the districts do not differ. */
    SCHOOLS("schools", "scores of 360 students in 30 classrooms in 6 districts over 4 years; districts alike",
            "score ~ year + (year | student) + (1 | classroom) + (1 | district)",
            () -> new Truth()
                    .fixed("(Intercept)", 200).fixed("year", 8)
                    .sd("student", "(Intercept)", 12).sd("student", "year", 2).corr("student", "(Intercept)", "year", 0.3)
                    .sd("classroom", "(Intercept)", 5).sd("district", "(Intercept)", 0)
                    .residual(5),
            ClassicData::schools),
    /**
     * Couples' relationship satisfaction, lowered by one's own stress (actor effect) and by the
     * partner's (partner effect); one person per line, some partners did not answer.
     */
    COUPLES("couples", "stress and relationship satisfaction of 120 couples; some partners did not answer",
            "satisfaction ~ role + stress_actor + stress_partner + (1 | couple)",
            () -> new Truth()
                    .fixed("(Intercept)", 6).fixed("rolemale", 0.3).fixed("stress_actor", -0.5).fixed("stress_partner", -0.25)
                    .sd("couple", "(Intercept)", 0.6)
                    .residual(0.8),
            ClassicData::couples);

    /**
     * The seed {@code varpart simulate --design} uses when given none; the README's examples and
     * the lme4 fixtures use it. The schools design has a true district variance of zero, which
     * lme4 estimates as exactly zero (a singular fit) for about half of the seeds; this is one of
     * them, as the example is meant to show such a fit.
     */
    public static final long DEFAULT_SEED = 4;

    private final String label;
    private final String description;
    private final String formula;
    private final Supplier<Truth> truth;
    private final BiFunction<Random, Truth, Table> rows;

    /**
     * @param truth the parameters the data are drawn from
     * @param rows draws the data's rows from the parameters (see {@link ClassicData})
     */
    ClassicDesign(String label, String description, String formula, Supplier<Truth> truth, BiFunction<Random, Truth, Table> rows) {
        this.label = label;
        this.description = description;
        this.formula = formula;
        this.truth = truth;
        this.rows = rows;
    }

    /** The design's name on the command line: {@code tumour}, {@code qol}, ... */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The model the data were simulated from, in lme4's syntax. */
    public String formula() {
        return formula;
    }

    /**
     * The commands that fit the model to the data written to {@code csv}: for the couples, first
     * the actor and partner columns.
     */
    public List<String> howToFit(String csv) {
        String data = csv;
        List<String> steps = new ArrayList<>();
        if (this == COUPLES) {
            data = csv.replaceFirst("(\\.csv)?$", "_apim.csv");
            steps.add("varpart apim --data " + csv + " --dyad couple --vars stress --role role --out " + data);
        }
        steps.add("varpart fit --data " + data + " --formula \"" + formula + "\"");
        return steps;
    }

    /** The data set for a seed. */
    public Simulated simulate(long seed) {
        return simulate(new Random(seed));
    }

    private Simulated simulate(Random rnd) {
        Truth t = truth.get();
        return new Simulated(this, rows.apply(rnd, t), t);
    }

    /** The design of that name, or an error that lists the names. */
    public static ClassicDesign byLabel(String label) {
        for (ClassicDesign d : values()) if (d.label.equals(label)) return d;
        throw new IllegalArgumentException("unknown design '" + label + "'; the designs are: " + labels());
    }

    /** The names, comma-separated. */
    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(ClassicDesign::label).toList());
    }

    /** A simulated data set: its rows and the parameters it was drawn from. */
    public record Simulated(ClassicDesign design, Table table, Truth truth) {
        /** The data as CSV text with a header line. */
        public String csv() {
            return table.csv();
        }
    }

    /** Rows of text cells under a header. */
    public static final class Table {
        private final String[] header;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            this.header = header;
        }

        void add(String... cells) {
            if (cells.length != header.length) throw new IllegalStateException("row of " + cells.length + " cells");
            rows.add(cells);
        }

        public int rows() {
            return rows.size();
        }

        /** The number of distinct values in a column. */
        public long distinct(String column) {
            int j = Arrays.asList(header).indexOf(column);
            return rows.stream().map(r -> r[j]).distinct().count();
        }

        String csv() {
            StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
            for (String[] r : rows) sb.append(String.join(",", r)).append('\n');
            return sb.toString();
        }
    }
}
