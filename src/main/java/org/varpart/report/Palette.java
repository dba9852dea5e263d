package org.varpart.report;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One colour per component, the same in every plot and every assay of a report: colours are
 * handed out in the order components are first seen, from a qualitative palette that stays
 * distinguishable for common colour-vision deficiencies; {@code Residuals} is always grey.
 */
public final class Palette {
    private static final Color[] COLOURS = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F), new Color(0xE15759), new Color(0xB07AA1),
        new Color(0x76B7B2), new Color(0xEDC948), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0x1F3A93),
        new Color(0x8CD17D), new Color(0xD37295)};
    static final Color RESIDUALS = new Color(0xB8B8B8);

    private final Map<String, Color> assigned = new LinkedHashMap<>();

    /** The component's colour, assigning the next free one the first time a component is seen. */
    public Color of(String component) {
        if (ReportData.RESIDUALS.equals(component)) return RESIDUALS;
        return assigned.computeIfAbsent(component, c -> next(assigned.size()));
    }

    /** The colour as CSS hex, {@code #rrggbb}. */
    public String css(String component) {
        Color c = of(component);
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    /** The i-th colour: the palette, then further hues by the golden angle once it runs out. */
    private static Color next(int i) {
        if (i < COLOURS.length) return COLOURS[i];
        float hue = (float) ((i - COLOURS.length) * 0.381966 % 1.0);
        return Color.getHSBColor(hue, 0.55f, 0.75f);
    }
}
