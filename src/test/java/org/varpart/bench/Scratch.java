package org.varpart.bench;

import org.varpart.design.Design;
import org.varpart.design.DesignBuilder;
import org.varpart.formula.ModelSpec;
import org.varpart.lmm.BlockFitter;
import org.varpart.lmm.FitOptions;
import org.varpart.lmm.FitResult;

public class Scratch {
    public static void main(String[] a) {
        ReferenceDesign rd = new ReferenceDesign(Integer.parseInt(a[0]), 1);
        int nf = Integer.parseInt(a[1]);
        double[][] y = rd.features(nf);
        ModelSpec spec = ModelSpec.parse("y" + ReferenceDesign.FORMULA);
        Design d = DesignBuilder.build(spec, rd.samples(), "y", y[0]);
        FitOptions o = new FitOptions(false, a[2].contains("b") ? FitOptions.Optimizer.BOBYQA : FitOptions.Optimizer.QUASI_NEWTON, 100000, 1e-8, a[2].contains("c"), a[2].contains("v"));
        BlockFitter bf = new BlockFitter(d, o);
        BlockFitter ref = new BlockFitter(d, o.withOptimizer(FitOptions.Optimizer.BOBYQA));
        double worst = 0;
        for (int f = 0; f < Math.min(nf, 200); f++) {
            FitResult fx = bf.fit("f", y[f]), fr = ref.fit("f", y[f]);
            double x = fx.objective(), r = fr.objective();
            if ((x - r) / Math.abs(r) > 1e-7) System.out.println(f + " qn " + x + " " + java.util.Arrays.toString(fx.theta()) + " bobyqa " + r + " " + java.util.Arrays.toString(fr.theta()));
            worst = Math.max(worst, (x - r) / Math.abs(r));
        }
        System.out.println("worst (qn - bobyqa)/|bobyqa| = " + worst);
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            int evals = 0;
            for (int f = 0; f < nf; f++) {
                FitResult r = bf.fit("f" + f, y[f]);
                evals += r.evaluations();
            }
            double ms = (System.nanoTime() - t0) / 1e6 / nf;
            System.out.printf("%.3f ms/feature, %.1f evals/feature%n", ms, evals / (double) nf);
        }
    }
}
