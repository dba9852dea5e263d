package org.varpart.design;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.varpart.InputException;

/**
 * The actor and partner predictors of the actor–partner interdependence model (APIM; Kenny, Kashy
 * & Cook 2006) from individual-level data: one row per person with a dyad ID. For each variable x
 * it adds {@code x_actor}, the person's own value, and {@code x_partner}, the value of the other
 * member of the same dyad. A person whose partner has no row, or no value, or who has no dyad ID,
 * gets a missing {@code x_partner}, so that a model using it leaves the row out, as R's
 * {@code na.omit} does. Cells are copied as text, so the new columns hold exactly the file's values.
 *
 * <p>A dyad has at most two rows. For distinguishable dyads (husband and wife, patient and
 * carer) a role column names each member's role: there must be two roles in all, and the two
 * members of a dyad must have different ones.
 */
public final class Apim {
    private Apim() {}

    /**
     * The table with the new columns, and counts for the report.
     *
     * @param dyads distinct dyad IDs
     * @param pairs dyads with both members
     * @param alone rows without a partner's row (one-member dyads and rows without a dyad ID)
     */
    public record Result(DataTable table, List<String> added, int dyads, int pairs, int alone) {}

    /**
     * @param dyad the dyad-ID column
     * @param vars the variables to pair
     * @param role the role column for distinguishable dyads, or null
     */
    public static Result pair(DataTable t, String dyad, List<String> vars, String role) {
        if (vars.isEmpty()) throw new InputException("No variables to pair; name at least one, e.g. stress.");
        String[] id = t.column(dyad).text();
        for (String v : vars) t.column(v);
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < t.rows(); i++) if (id[i] != null) members.computeIfAbsent(id[i], k -> new ArrayList<>()).add(i);
        int[] partner = new int[t.rows()];
        java.util.Arrays.fill(partner, -1);
        int pairs = 0;
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            List<Integer> rows = e.getValue();
            if (rows.size() > 2) {
                throw new InputException(t.source() + ": the dyad '" + e.getKey() + "' in column '" + dyad + "' has "
                        + rows.size() + " rows (data rows " + oneBased(rows) + "); a dyad has two members, one row each.");
            }
            if (rows.size() == 2) {
                partner[rows.get(0)] = rows.get(1);
                partner[rows.get(1)] = rows.get(0);
                pairs++;
            }
        }
        if (role != null) checkRoles(t, dyad, role, members);
        DataTable out = t;
        List<String> added = new ArrayList<>();
        for (String v : vars) {
            String[] own = t.column(v).text();
            String[] other = new String[t.rows()];
            for (int i = 0; i < t.rows(); i++) other[i] = partner[i] < 0 ? null : own[partner[i]];
            out = out.withColumn(unused(out, v + "_actor"), own).withColumn(unused(out, v + "_partner"), other);
            added.add(v + "_actor");
            added.add(v + "_partner");
        }
        int alone = 0;
        for (int p : partner) if (p < 0) alone++;
        return new Result(out, List.copyOf(added), members.size(), pairs, alone);
    }

    private static String unused(DataTable t, String name) {
        if (t.has(name)) {
            throw new InputException("The column '" + name + "' is already in " + t.source()
                    + "; rename it, or pair the variables of a table without it.");
        }
        return name;
    }

    private static void checkRoles(DataTable t, String dyad, String role, Map<String, List<Integer>> members) {
        String[] r = t.column(role).text();
        TreeSet<String> roles = new TreeSet<>();
        for (int i = 0; i < t.rows(); i++) {
            if (r[i] == null) {
                throw new InputException(t.source() + " data row " + (i + 1) + ": the role column '" + role
                        + "' is missing; each member of a distinguishable dyad needs a role.");
            }
            roles.add(r[i]);
        }
        if (roles.size() != 2) {
            throw new InputException("The role column '" + role + "' has " + roles.size() + " values (" + String.join(", ", roles)
                    + "); distinguishable dyads have exactly two roles.");
        }
        for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
            List<Integer> rows = e.getValue();
            if (rows.size() == 2 && r[rows.get(0)].equals(r[rows.get(1)])) {
                throw new InputException(t.source() + ": both members of the dyad '" + e.getKey() + "' (data rows " + oneBased(rows)
                        + ") have the role '" + r[rows.get(0)] + "' in column '" + role + "'; the two members need different roles.");
            }
        }
    }

    private static String oneBased(List<Integer> rows) {
        return String.join(", ", rows.stream().map(i -> Integer.toString(i + 1)).toList());
    }
}
