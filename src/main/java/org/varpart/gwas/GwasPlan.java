package org.varpart.gwas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.varpart.InputException;
import org.varpart.design.DataTable;
import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.FormulaException;
import org.varpart.formula.ModelSpec;
import org.varpart.io.AssayReader;

/**
 * Everything a {@code gwas} run checks on the driver before any Spark job: the PLINK fileset,
 * the sample sheet matched to the {@code .fam}, each phenotype (numeric, not constant) with its
 * covariates, and a GRM file when one is given. A problem stops the run with the file, line and
 * value.
 *
 * @param grmSamples the {@code .fam} rows of the samples in the sheet, in {@code .fam} order: the GRM's samples
 * @param grmFile the given GRM over {@code grmSamples} (column-major), or null to compute it
 */
public record GwasPlan(GwasConfig config, PlinkFileset fileset, int[] grmSamples, List<Phenotype> phenotypes, double[] grmFile,
                       List<String> warnings) {

    /**
     * One phenotype's samples and design: {@code rows} index {@code grmSamples}; W is n × c column-major.
     *
     * @param left the samples of the GRM left out for a missing phenotype or covariate
     */
    public record Phenotype(String name, int[] rows, double[] w, int c, String[] covariates, double[] y, int left)
            implements java.io.Serializable {}

    public static GwasPlan of(GwasConfig cfg, Configuration hadoop) {
        PlinkFileset set = PlinkFileset.open(hadoop, cfg.get("genotypes"));
        String sheetPath = cfg.get("samples");
        DataTable sheet = AssayReader.readTable(hadoop, sheetPath, "sample sheet");
        String idCol = cfg.get("sample_id_column");
        if (!sheet.has(idCol)) {
            throw new InputException("The sample sheet " + sheetPath + " has no column '" + idCol + "' (sample_id_column); its columns are: "
                    + String.join(", ", sheet.names()) + ".");
        }
        Map<String, Integer> rowOf = new HashMap<>();
        String[] ids = sheet.column(idCol).text();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == null) throw new InputException(sheetPath + " line " + (i + 2) + ", column " + idCol + ": the sample ID is missing.");
            Integer prev = rowOf.put(ids[i], i);
            if (prev != null) {
                throw new InputException(sheetPath + " line " + (i + 2) + ", column " + idCol + ": the sample ID '" + ids[i] + "' appears twice (first on line "
                        + (prev + 2) + ").");
            }
        }
        List<String> warnings = new ArrayList<>();
        List<Integer> famRows = new ArrayList<>(), sheetRows = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (int f = 0; f < set.iids.size(); f++) {
            Integer r = rowOf.get(set.iids.get(f));
            if (r == null) absent.add(set.iids.get(f));
            else {
                famRows.add(f);
                sheetRows.add(r);
            }
        }
        if (famRows.size() < 10) {
            throw new InputException("Only " + famRows.size() + " of the " + set.iids.size() + " samples of " + set.prefix + ".fam are in the sample sheet "
                    + sheetPath + " (column " + idCol + "); at least 10 are needed.");
        }
        if (!absent.isEmpty()) {
            warnings.add(absent.size() + " sample(s) of " + set.prefix + ".fam are not in the sample sheet and are left out: " + firstFew(absent));
        }
        DataTable used = sheet.select(sheetRows.stream().mapToInt(Integer::intValue).toArray());
        int[] grmSamples = famRows.stream().mapToInt(Integer::intValue).toArray();
        List<Phenotype> phenotypes = new ArrayList<>();
        for (String name : cfg.phenotypes()) phenotypes.add(phenotype(cfg, name, sheet, used, sheetRows, sheetPath));
        double[] grm = cfg.get("grm").isBlank() ? null : readGrm(hadoop, cfg.get("grm"), set.iids.size(), grmSamples);
        return new GwasPlan(cfg, set, grmSamples, phenotypes, grm, warnings);
    }

    private static Phenotype phenotype(GwasConfig cfg, String name, DataTable sheet, DataTable used, List<Integer> sheetRows, String path) {
        if (!sheet.has(name)) {
            throw new InputException("phenotypes: the column '" + name + "' is not in the sample sheet " + path + "; its columns are: "
                    + String.join(", ", sheet.names()) + ".");
        }
        DataTable.Column col = sheet.column(name);
        if (!col.isNumeric()) {
            String[] t = col.text();
            for (int i = 0; i < t.length; i++) {
                if (t[i] != null && Double.isNaN(DataTable.parseNumber(t[i]))) {
                    throw new InputException(path + " line " + (i + 2) + ", column " + name + ": the phenotype is not a number: '" + t[i] + "'.");
                }
            }
        }
        double[] y = used.column(name).numbers();
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(name + " " + cfg.get("formula"));
        } catch (FormulaException e) {
            throw e.withoutPrefix(name + " ");
        }
        if (!spec.random().isEmpty()) throw new InputException("formula: the GWAS formula takes fixed covariates only; the GRM is the random effect.");
        for (String c : spec.columns().subList(1, spec.columns().size())) {
            if (!sheet.has(c)) {
                throw new InputException("formula: the column '" + c + "' is not in the sample sheet " + path + "; its columns are: "
                        + String.join(", ", sheet.names()) + ".");
            }
        }
        Design d = DesignBuilder.build(spec, used, name, y);
        int n = d.n();
        double first = d.y()[0];
        boolean constant = true;
        for (double v : d.y()) constant &= v == first;
        if (constant) {
            throw new InputException(path + ", column " + name + ": the phenotype is constant (" + first + ") among the " + n
                    + " samples with genotypes and covariates; there is nothing to test.");
        }
        if (n <= d.p() + 2) throw new InputException("phenotype " + name + ": only " + n + " samples have it and the covariates.");
        return new Phenotype(name, d.rows(), d.x().clone(), d.p(), d.xNames(), d.y().clone(), used.rows() - n);
    }

    /** A GRM in GEMMA's text format: one row per {@code .fam} sample, whitespace-separated, symmetric. */
    static double[] readGrm(Configuration hadoop, String file, int nFam, int[] keep) {
        double[] k = new double[nFam * nFam];
        int row = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new Path(file).getFileSystem(hadoop).open(new Path(file)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                String[] f = line.trim().split("\\s+");
                if (row >= nFam) throw new InputException(file + " line " + (row + 1) + ": the GRM has more rows than the " + nFam + " samples of the .fam.");
                if (f.length != nFam) {
                    throw new InputException(file + " line " + (row + 1) + ": " + f.length + " values, but the .fam has " + nFam + " samples; the GRM must be "
                            + nFam + " x " + nFam + " in .fam order.");
                }
                for (int j = 0; j < nFam; j++) {
                    double v = DataTable.parseNumber(f[j]);
                    if (!Double.isFinite(v)) throw new InputException(file + " line " + (row + 1) + ", column " + (j + 1) + ": not a number: '" + f[j] + "'.");
                    k[j * nFam + row] = v;
                }
                row++;
            }
        } catch (java.io.FileNotFoundException e) {
            throw new InputException("The GRM file " + file + " does not exist.");
        } catch (IOException e) {
            throw new InputException("Cannot read the GRM file " + file + ": " + e.getMessage(), e);
        }
        if (row != nFam) throw new InputException(file + ": the GRM has " + row + " rows, but the .fam has " + nFam + " samples.");
        for (int i = 0; i < nFam; i++) {
            for (int j = 0; j < i; j++) {
                double a = k[j * nFam + i], b = k[i * nFam + j];
                if (Math.abs(a - b) > 1e-6 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)))) {
                    throw new InputException(file + " line " + (i + 1) + ", column " + (j + 1) + ": the GRM is not symmetric (" + a + " here, " + b + " at line "
                            + (j + 1) + ", column " + (i + 1) + ").");
                }
            }
        }
        int s = keep.length;
        double[] out = new double[s * s];
        for (int j = 0; j < s; j++) for (int i = 0; i < s; i++) out[j * s + i] = k[keep[j] * nFam + keep[i]];
        return out;
    }

    static String firstFew(List<String> ids) {
        return String.join(", ", ids.subList(0, Math.min(10, ids.size()))) + (ids.size() > 10 ? ", ..." : "");
    }
}
