package org.varpart.design;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varpart.InputException;

class ApimTest {

    /** Five people: a complete couple a, a couple b whose second member gave no stress value, and c alone. */
    private static DataTable people() {
        return DataTable.fromText("people.csv", List.of("couple", "role", "stress", "mood"), List.of(
                new String[] {"a", "b", "a", "c", "b", null},
                new String[] {"f", "f", "m", "m", "m", "f"},
                new String[] {"3.5", "2", "1.25", "4", "NA", "5"},
                new String[] {"x", "y", "z", "w", "v", "u"}));
    }

    @Test
    void partnerValueIsTheOtherMembersValue() {
        Apim.Result r = Apim.pair(people(), "couple", List.of("stress", "mood"), "role");
        DataTable t = r.table();
        assertEquals(List.of("stress_actor", "stress_partner", "mood_actor", "mood_partner"), r.added());
        assertArrayEquals(new String[] {"3.5", "2", "1.25", "4", null, "5"}, t.column("stress_actor").text());
        assertArrayEquals(new String[] {"1.25", null, "3.5", null, "2", null}, t.column("stress_partner").text());
        assertArrayEquals(new double[] {1.25, Double.NaN, 3.5, Double.NaN, 2, Double.NaN}, t.column("stress_partner").numbers());
        // a text variable is paired too, and stays text
        assertArrayEquals(new String[] {"z", "v", "x", null, "y", null}, t.column("mood_partner").text());
        assertEquals(3, r.dyads());
        assertEquals(2, r.pairs());
        assertEquals(2, r.alone());
        assertTrue(t.toCsv().startsWith("couple,role,stress,mood,stress_actor,stress_partner,mood_actor,mood_partner\n"
                + "a,f,3.5,x,3.5,1.25,x,z\nb,f,2,y,2,NA,y,v\n"), t.toCsv());
    }

    @Test
    void clearErrorsForBadDyads() {
        DataTable three = DataTable.fromText("p.csv", List.of("couple", "x"),
                List.of(new String[] {"a", "a", "a"}, new String[] {"1", "2", "3"}));
        InputException e = assertThrows(InputException.class, () -> Apim.pair(three, "couple", List.of("x"), null));
        assertTrue(e.getMessage().contains("the dyad 'a' in column 'couple' has 3 rows (data rows 1, 2, 3)"), e.getMessage());
        DataTable sameRole = DataTable.fromText("p.csv", List.of("couple", "role", "x"),
                List.of(new String[] {"a", "a", "b"}, new String[] {"f", "f", "m"}, new String[] {"1", "2", "3"}));
        e = assertThrows(InputException.class, () -> Apim.pair(sameRole, "couple", List.of("x"), "role"));
        assertTrue(e.getMessage().contains("both members of the dyad 'a' (data rows 1, 2) have the role 'f'"), e.getMessage());
        DataTable threeRoles = DataTable.fromText("p.csv", List.of("couple", "role", "x"),
                List.of(new String[] {"a", "a", "b"}, new String[] {"f", "m", "x"}, new String[] {"1", "2", "3"}));
        e = assertThrows(InputException.class, () -> Apim.pair(threeRoles, "couple", List.of("x"), "role"));
        assertTrue(e.getMessage().contains("has 3 values (f, m, x)"), e.getMessage());
        e = assertThrows(InputException.class, () -> Apim.pair(people(), "couple", List.of("stres"), null));
        assertTrue(e.getMessage().contains("The column 'stres' is not in people.csv"), e.getMessage());
        DataTable paired = Apim.pair(people(), "couple", List.of("stress"), null).table();
        e = assertThrows(InputException.class, () -> Apim.pair(paired, "couple", List.of("stress"), null));
        assertTrue(e.getMessage().contains("The column 'stress_actor' is already in"), e.getMessage());
    }
}
