package org.varpart.formula;

import java.util.StringJoiner;

/** Turns expressions back into text the way R's {@code deparse} does, so labels match R's. */
final class Deparser {
    private Deparser() {}

    static String name(String name) {
        return isSyntactic(name) ? name : "`" + name + "`";
    }

    static boolean isSyntactic(String s) {
        if (s.isEmpty()) return false;
        char c0 = s.charAt(0);
        if (!(Character.isLetter(c0) || c0 == '.')) return false;
        if (c0 == '.' && s.length() > 1 && Character.isDigit(s.charAt(1))) return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '_')) return false;
        }
        return true;
    }

    /** R prints numbers with up to 15 significant digits and drops a trailing ".0". */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(15)).stripTrailingZeros().toPlainString();
        return s;
    }

    static String call(Expr.Call c) {
        StringJoiner j = new StringJoiner(", ", c.function() + "(", ")");
        for (Expr.Arg a : c.args()) {
            j.add(a.name() == null ? a.value().deparse() : a.name() + " = " + a.value().deparse());
        }
        return j.toString();
    }

    /** R puts spaces around {@code + - * ~ | ||} and none around {@code / ^ :}. */
    static String binary(Expr.Binary b) {
        String op = b.op();
        boolean spaced = !(op.equals("/") || op.equals("^") || op.equals(":"));
        String sep = spaced ? " " + op + " " : op;
        return b.left().deparse() + sep + b.right().deparse();
    }
}
