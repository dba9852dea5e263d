package org.varpart.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

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
            "log(volume) ~ treatment * day + (day | mouse)") {
        @Override
        Simulated simulate(Random rnd) {
            Truth t = new Truth()
                    .fixed("(Intercept)", 4.7).fixed("treatmentdrug", 0).fixed("day", 0.11).fixed("treatmentdrug:day", -0.05)
                    .sd("mouse", "(Intercept)", 0.25).sd("mouse", "day", 0.02).corr("mouse", "(Intercept)", "day", 0.3)
                    .residual(0.12);
            Table out = new Table("mouse", "treatment", "day", "volume");
            String[] arm = shuffledArms(rnd, 40, "control", "drug");
            for (int m = 0; m < arm.length; m++) {
                boolean drug = arm[m].equals("drug");
                double[] b = t.draw(rnd, "mouse");
                // about one mouse in seven leaves for a reason unrelated to its tumour
                int leaves = rnd.nextDouble() < 0.15 ? 3 * (2 + rnd.nextInt(8)) : Integer.MAX_VALUE;
                for (int day = 0; day <= 30 && day <= leaves; day += 3) {
                    double logVolume = t.armByTime(drug ? 1 : 0, day, b, rnd);
                    double volume = StrictMath.exp(logVolume);
                    out.add(String.format(Locale.ROOT, "M%02d", m + 1), arm[m], Integer.toString(day), fixed(volume, 1));
                    if (volume > 2000) break; // humane endpoint: the mouse is taken off the study
                }
            }
            return new Simulated(this, out, t);
        }
    },
    /** Quality of life of patients at 0–12 months, placebo or treatment, with drop-out and missed visits. */
    QOL("qol", "quality of life of 200 patients, placebo or treatment, at months 0 to 12; drop-outs",
            "qol ~ arm * month + (month | patient)") {
        @Override
        Simulated simulate(Random rnd) {
            Truth t = new Truth()
                    .fixed("(Intercept)", 60).fixed("armtreatment", 0).fixed("month", -0.25).fixed("armtreatment:month", 0.6)
                    .sd("patient", "(Intercept)", 10).sd("patient", "month", 0.5).corr("patient", "(Intercept)", "month", -0.3)
                    .residual(7);
            Table out = new Table("patient", "arm", "month", "qol");
            String[] arm = shuffledArms(rnd, 200, "placebo", "treatment");
            for (int p = 0; p < arm.length; p++) {
                double[] b = t.draw(rnd, "patient");
                double treated = arm[p].equals("treatment") ? 1 : 0;
                for (int month = 0; month <= 12; month += 3) {
                    if (month > 0 && rnd.nextDouble() < 0.07) break; // drops out of the trial
                    double score = t.armByTime(treated, month, b, rnd);
                    if (month > 0 && rnd.nextDouble() < 0.04) continue; // misses this visit
                    out.add(String.format(Locale.ROOT, "P%03d", p + 1), arm[p], Integer.toString(month), fixed(score, 1));
                }
            }
            return new Simulated(this, out, t);
        }
    },
    /** Reaction times that fall with practice along log(trial), slower in the incongruent condition. */
    PRACTICE("practice", "reaction times of 36 people over 60 trials, congruent or incongruent; errors missing",
            "rt ~ log(trial) + condition + (log(trial) | participant)") {
        @Override
        Simulated simulate(Random rnd) {
            Truth t = new Truth()
                    .fixed("(Intercept)", 650).fixed("log(trial)", -55).fixed("conditionincongruent", 40)
                    .sd("participant", "(Intercept)", 60).sd("participant", "log(trial)", 12)
                    .corr("participant", "(Intercept)", "log(trial)", -0.4)
                    .residual(50);
            Table out = new Table("participant", "trial", "condition", "rt");
            for (int s = 0; s < 36; s++) {
                double[] b = t.draw(rnd, "participant");
                for (int trial = 1; trial <= 60; trial++) {
                    boolean incongruent = rnd.nextBoolean();
                    double logTrial = StrictMath.log(trial);
                    double rt = t.fixedPart(logTrial, incongruent ? 1 : 0) + b[0] + b[1] * logTrial + t.noise(rnd);
                    boolean error = rnd.nextDouble() < 0.05; // error trials carry no reaction time
                    out.add(String.format(Locale.ROOT, "S%02d", s + 1), Integer.toString(trial),
                            incongruent ? "incongruent" : "congruent", error ? "NA" : fixed(rt, 1));
                }
            }
            return new Simulated(this, out, t);
        }
    },
    /** Test scores of students over four years, in classrooms in districts; the districts do not differ. */
    SCHOOLS("schools", "scores of 360 students in 30 classrooms in 6 districts over 4 years; districts alike",
            "score ~ year + (year | student) + (1 | classroom) + (1 | district)") {
        @Override
        Simulated simulate(Random rnd) {
            Truth t = new Truth()
                    .fixed("(Intercept)", 200).fixed("year", 8)
                    .sd("student", "(Intercept)", 12).sd("student", "year", 2).corr("student", "(Intercept)", "year", 0.3)
                    .sd("classroom", "(Intercept)", 5).sd("district", "(Intercept)", 0)
                    .residual(5);
            Table out = new Table("district", "classroom", "student", "year", "score");
            for (int d = 0; d < 6; d++) {
                double district = t.draw(rnd, "district")[0];
                for (int c = 0; c < 5; c++) {
                    double classroom = t.draw(rnd, "classroom")[0];
                    String dName = "D" + (d + 1), cName = dName + "-C" + (c + 1);
                    for (int s = 0; s < 12; s++) {
                        double[] b = t.draw(rnd, "student");
                        String sName = String.format(Locale.ROOT, "%s-S%02d", cName, s + 1);
                        for (int year = 0; year <= 3; year++) {
                            double score = t.fixedPart(year) + district + classroom + b[0] + b[1] * year + t.noise(rnd);
                            if (rnd.nextDouble() < 0.07) continue; // absent on the test day
                            out.add(dName, cName, sName, Integer.toString(year), fixed(score, 1));
                        }
                    }
                }
            }
            return new Simulated(this, out, t);
        }
    },
    /**
     * Couples' relationship satisfaction, lowered by one's own stress (actor effect) and by the
     * partner's (partner effect); one person per line, some partners did not answer.
     */
    COUPLES("couples", "stress and relationship satisfaction of 120 couples; some partners did not answer",
            "satisfaction ~ role + stress_actor + stress_partner + (1 | couple)") {
        @Override
        Simulated simulate(Random rnd) {
            Truth t = new Truth()
                    .fixed("(Intercept)", 6).fixed("rolemale", 0.3).fixed("stress_actor", -0.5).fixed("stress_partner", -0.25)
                    .sd("couple", "(Intercept)", 0.6)
                    .residual(0.8);
            Table out = new Table("couple", "person", "role", "stress", "satisfaction");
            String[] role = {"female", "male"};
            for (int c = 0; c < 120; c++) {
                String couple = String.format(Locale.ROOT, "C%03d", c + 1);
                double u = t.draw(rnd, "couple")[0];
                double shared = 0.5 * rnd.nextGaussian(); // partners' stress is correlated
                double[] stress = new double[2];
                for (int k = 0; k < 2; k++) stress[k] = Double.parseDouble(fixed(3 + shared + 0.9 * rnd.nextGaussian(), 1));
                int missing = rnd.nextDouble() < 0.1 ? rnd.nextInt(2) : -1; // this partner did not answer
                for (int k = 0; k < 2; k++) {
                    double y = t.fixedPart(k, stress[k], stress[1 - k]) + u + t.noise(rnd);
                    if (k == missing) continue;
                    out.add(couple, couple + (k == 0 ? "-F" : "-M"), role[k], fixed(stress[k], 1), fixed(y, 2));
                }
            }
            return new Simulated(this, out, t);
        }
    };

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

    ClassicDesign(String label, String description, String formula) {
        this.label = label;
        this.description = description;
        this.formula = formula;
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

    abstract Simulated simulate(Random rnd);

    /** The design of that name, or an error that lists the names. */
    public static ClassicDesign byLabel(String label) {
        for (ClassicDesign d : values()) if (d.label.equals(label)) return d;
        throw new IllegalArgumentException("unknown design '" + label + "'; the designs are: " + labels());
    }

    /** The names, comma-separated. */
    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(ClassicDesign::label).toList());
    }

    /** Half the arms one way, half the other, in random order (a randomised allocation). */
    private static String[] shuffledArms(Random rnd, int n, String a, String b) {
        String[] arm = new String[n];
        for (int i = 0; i < n; i++) arm[i] = i < n / 2 ? a : b;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String s = arm[i];
            arm[i] = arm[j];
            arm[j] = s;
        }
        return arm;
    }

    /** A number with a fixed number of decimals, as the file holds it. */
    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
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

    /**
     * The true parameters: fixed effects by coefficient name (as varpart and lme4 name them), and
     * per grouping factor the standard deviations of its random effects and their correlation.
     */
    public static final class Truth {
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
}
