package org.varpart.formula;

import java.util.List;

/**
 * One random-effects term {@code (effects | group)} after expansion: {@code (1 | a/b)} becomes two
 * such terms, {@code (x || g)} becomes one per column.
 *
 * @param effects the terms whose coefficients vary by group (the left of {@code |})
 * @param groupVariables the variables whose combinations define the groups ({@code b}, {@code a}
 *     for the group {@code b:a})
 * @param groupName the group's name as lme4 prints it, e.g. {@code cask:batch}
 */
public record RandomTerm(TermList effects, List<Expr> groupVariables, String groupName) implements java.io.Serializable {}
