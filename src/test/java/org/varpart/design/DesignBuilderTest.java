package org.varpart.design;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varpart.InputException;
import org.varpart.formula.FormulaException;
import org.varpart.formula.ModelSpec;
import org.varpart.io.TableReader;

class DesignBuilderTest {

    static DataTable table(String csv) throws IOException {
        return TableReader.read("test.csv", new BufferedReader(new StringReader(csv)));
    }

    static final String DATA = """
            y,age,sex,trt,g,h
            1.0,30,Male,low,a,1
            2.5,40,Female,high,a,2
            3.1,35,Male,control,b,1
            NA,50,Female,low,b,2
            4.2,45,Female,control,c,1
            5.0,NA,Male,high,c,2
            2.2,33,Male,high,a,1
            3.3,41,Female,low,b,2
            """;

    @Test
    void treatmentContrastsUseTheFirstSortedLevelAsReference() throws IOException {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ age * sex + trt + (1 | g)"), table(DATA));
        assertArrayEquals(new String[] {"(Intercept)", "age", "sexMale", "trthigh", "trtlow", "age:sexMale"}, d.xNames());
        assertEquals(List.of("(Intercept)", "age", "sex", "trt", "age:sex"), d.fixedTerms());
        assertEquals(3, d.assign(3));
        assertEquals(6, d.n());
        assertEquals(2, d.dropped());
        // row 0: age 30, Male, low
        assertEquals(30.0, d.x(0, 5));
        assertEquals(1.0, d.x(0, 4));
        assertEquals(0.0, d.x(0, 3));
    }

    @Test
    void withoutInterceptTheFirstFactorGetsAllLevels() throws IOException {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ 0 + trt + sex + (1 | g)"), table(DATA));
        assertArrayEquals(new String[] {"trtcontrol", "trthigh", "trtlow", "sexMale"}, d.xNames());
    }

    @Test
    void interactionWithoutMainEffectUsesIndicators() throws IOException {
        // R: model.matrix(~ sex + age:sex) has sexFemale:age and sexMale:age (no age main effect)
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ sex + age:sex + (1 | g)"), table(DATA));
        assertArrayEquals(new String[] {"(Intercept)", "sexMale", "sexFemale:age", "sexMale:age"}, d.xNames());
        // with the main effect of age present, sex in age:sex is coded by contrasts
        d = DesignBuilder.build(ModelSpec.parse("y ~ age + age:sex + (1 | g)"), table(DATA));
        assertArrayEquals(new String[] {"(Intercept)", "age", "age:sexMale"}, d.xNames());
    }

    @Test
    void randomTermsAreOrderedByLevelsAndNumericGroupsBecomeFactors() throws IOException {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ age + (1 | h) + (1 + age | g)"), table(DATA));
        assertEquals("g", d.terms().get(0).group());
        assertEquals(3, d.terms().get(0).levels());
        assertArrayEquals(new String[] {"(Intercept)", "age"}, d.terms().get(0).columnNames());
        assertEquals("h", d.terms().get(1).group());
        assertEquals("1", d.terms().get(1).level(0));
    }

    @Test
    void linearlyDependentColumnsAreDroppedWithAMessage() throws IOException {
        DataTable t = table(DATA).withNumeric("age2", new double[] {60, 80, 70, 100, 90, Double.NaN, 66, 82});
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ age + age2 + (1 | g)"), t);
        assertArrayEquals(new String[] {"(Intercept)", "age"}, d.xNames());
        assertTrue(d.messages().get(0).contains("dropping 1 column"), d.messages().toString());
    }

    @Test
    void unknownColumnIsNamedWithTheColumnsThatExist() throws IOException {
        FormulaException e = assertThrows(FormulaException.class,
                () -> DesignBuilder.build(ModelSpec.parse("y ~ weight + (1 | g)"), table(DATA)));
        assertTrue(e.getMessage().contains("'weight' is not in test.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("y, age, sex, trt, g, h"), e.getMessage());
        assertTrue(e.getMessage().contains("\n      ^"), e.getMessage());
    }

    @Test
    void textInArithmeticIsRefused() throws IOException {
        FormulaException e = assertThrows(FormulaException.class,
                () -> DesignBuilder.build(ModelSpec.parse("y ~ log(sex) + (1 | g)"), table(DATA)));
        assertTrue(e.getMessage().contains("'sex' is not numeric (for example 'Male')"), e.getMessage());
    }

    @Test
    void noCompleteRowsIsAnError() throws IOException {
        DataTable t = table(DATA).withNumeric("empty", new double[8]).withNumeric("empty", new double[] {
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN});
        InputException e = assertThrows(InputException.class,
                () -> DesignBuilder.build(ModelSpec.parse("y ~ empty + (1 | g)"), t));
        assertTrue(e.getMessage().startsWith("No observations are left"), e.getMessage());
    }

    @Test
    void transformationsAreEvaluated() throws IOException {
        Design d = DesignBuilder.build(ModelSpec.parse("y ~ I(age^2) + log(age) + sqrt(age) + exp(I(age/100)) + (1 | g)"), table(DATA));
        assertEquals(900.0, d.x(0, 1));
        assertEquals(Math.log(30), d.x(0, 2), 1e-15);
        assertEquals(Math.sqrt(30), d.x(0, 3), 1e-15);
        assertEquals(Math.exp(0.3), d.x(0, 4), 1e-15);
    }

    @Test
    void readerReportsRaggedLinesWithTheirNumber() {
        InputException e = assertThrows(InputException.class, () -> table("a,b\n1,2\n3\n"));
        assertEquals("test.csv line 3: has 1 fields but the header has 2; every line needs one value per column.", e.getMessage());
        e = assertThrows(InputException.class, () -> table("a,a\n1,2\n"));
        assertTrue(e.getMessage().contains("'a' appears twice"), e.getMessage());
        e = assertThrows(InputException.class, () -> table(""));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void readerHandlesQuotesTabsAndMissingTokens() throws IOException {
        DataTable t = table("\"id\"\t\"x\"\n\"a, b\"\tNA\nc\t2.5\nd\tNaN\ne\t\n");
        assertEquals(List.of("id", "x"), t.names());
        assertEquals("a, b", t.column("id").text()[0]);
        assertTrue(t.column("x").isNumeric());
        assertTrue(Double.isNaN(t.column("x").numbers()[0]));
        assertEquals(2.5, t.column("x").numbers()[1]);
        assertTrue(Double.isNaN(t.column("x").numbers()[3]));
    }

    @Test
    void covariatesAreTypedStrictlyAndModelsThatCannotBeIdentifiedAreRefused() throws IOException {
        // one stray cell in a numeric column: an error naming its line when the model uses it as a covariate
        DataTable t = table(DATA.replace("4.2,45,", "4.2,NULL,"));
        InputException e = assertThrows(InputException.class, () -> DesignBuilder.build(ModelSpec.parse("y ~ age + (1 | g)"), t));
        assertEquals("test.csv line 6, column age: the value 'NULL' is not a number, though 6 of the column's other values are. Missing values"
                + " are written NA, NaN or as an empty cell, and nothing else; varpart does not guess whether the column is numeric or categorical:"
                + " correct the value.", e.getMessage());
        // as a grouping factor, or through factor(), the same column is categorical on purpose
        assertEquals(3, DesignBuilder.build(ModelSpec.parse("y ~ 1 + (1 | g)"), t).terms().get(0).levels());
        assertEquals(6, DesignBuilder.build(ModelSpec.parse("y ~ factor(age) + (1 | g)"), t).p(), "six ages, NULL among them, in the rows used");
        // a column that is mostly text is categorical, as R reads it
        DataTable mostlyText = table("y,z,g\n1,a,x\n2,b,x\n3,1,y\n4,c,y\n");
        assertEquals(4, DesignBuilder.build(ModelSpec.parse("y ~ z + (1 | g)"), mostlyText).p());
        e = assertThrows(InputException.class, () -> DesignBuilder.build(ModelSpec.parse("y ~ age + (1 | g)"), table(DATA.replace(",30,", ",-Inf,"))));
        assertTrue(e.getMessage().startsWith("test.csv line 2, column age: the value '-Inf' is infinite; a covariate must be finite"), e.getMessage());
        e = assertThrows(InputException.class, () -> DesignBuilder.build(ModelSpec.parse("y ~ age + (1 | g) + (1 | g)"), table(DATA)));
        assertTrue(e.getMessage().contains("a random intercept of 'g' twice"), e.getMessage());
        e = assertThrows(InputException.class, () -> DesignBuilder.build(ModelSpec.parse("y ~ age + (age | g) + (0 + age | g)"), table(DATA)));
        assertTrue(e.getMessage().contains("the random effect 'age' of 'g' twice"), e.getMessage());
        DataTable oneSex = table(DATA.replace("Female", "Male"));
        e = assertThrows(InputException.class, () -> DesignBuilder.build(ModelSpec.parse("y ~ sex + (1 | g)"), oneSex));
        assertTrue(e.getMessage().startsWith("The categorical covariate 'sex' has a single level (Male) among the observations used"), e.getMessage());
        e = assertThrows(InputException.class, () -> table("a,b\n1,2,3\n4,5,6\n"));
        assertTrue(e.getMessage().contains("line 2: has 3 fields but the header has 2. The header has one name fewer than the data lines,"
                + " as R's write.table writes it"), e.getMessage());
    }
}
