package org.varpart.design;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varpart.Fixtures;
import org.varpart.io.TableReader;

/** The basis of splines::ns against R's values (fixtures/ns_basis.tsv), to 1e-12 absolute. */
class NaturalSplineTest {

    private record Case(String name, double[] x, int df) {}

    @Test
    void basisKnotsAndBoundaryEqualR() throws IOException {
        double[] days = TableReader.read(Fixtures.ROOT.resolve("data/sleepstudy.csv")).column("Days").numbers();
        double[] xs = TableReader.read(Fixtures.ROOT.resolve("data/ns_x.csv")).column("x").numbers();
        List<Case> cases = List.of(new Case("sleep_df3", days, 3), new Case("x_df4", xs, 4), new Case("x_df1", xs, 1));
        List<String> lines = Files.readAllLines(Fixtures.ROOT.resolve("fixtures/ns_basis.tsv"));
        int checked = 0;
        for (Case c : cases) {
            NaturalSpline ns = new NaturalSpline(c.x(), c.df());
            double[][] basis = ns.basis(c.x());
            List<Double> knots = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] t = line.split("\t");
                if (!t[0].equals(c.name())) continue;
                double v = Double.parseDouble(t[3]);
                switch (t[1]) {
                    case "knot" -> knots.add(v);
                    case "boundary" -> assertEquals(v, ns.boundaryKnots()[Integer.parseInt(t[2]) - 1], 1e-14, "boundary knot");
                    default -> {
                        int row = Integer.parseInt(t[1]) - 1, col = Integer.parseInt(t[2]) - 1;
                        assertEquals(v, basis[row][col], 1e-12, c.name() + " [" + (row + 1) + "," + (col + 1) + "]");
                        checked++;
                    }
                }
            }
            assertEquals(knots.size(), ns.interiorKnots().length, c.name() + " knots");
            for (int i = 0; i < knots.size(); i++) assertEquals(knots.get(i), ns.interiorKnots()[i], 1e-12, "knot");
        }
        assertEquals(180 * 3 + 30 * 4 + 30, checked);
    }
}
