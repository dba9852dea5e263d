package org.varpart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The report as a reader sees it: opened from disk in headless Chromium, it loads without a
 * console error, exception or network request, every plot decodes, and the screenshot shows
 * drawn plots where the page lays them out. The screenshot is kept in
 * target/report-screenshot.png.
 */
class ReportBrowserTest {
    private static final int WIDTH = 1280;

    @Test
    void theReportLoadsCleanlyAndItsPlotsAreNotBlank() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        String why = "no Chromium on this machine (looked for $VARPART_CHROMIUM, chromium, chromium-browser, google-chrome "
                + "on the PATH), so the report is not opened in a browser; .ci/run installs Debian's chromium where apt-get can";
        if (chromium.isEmpty()) System.err.println("ReportBrowserTest skipped: " + why);
        Assumptions.assumeTrue(chromium.isPresent(), why);
        Path report = ReportFixture.report();
        try (HeadlessChromium b = new HeadlessChromium(chromium.get())) {
            b.openTab();
            for (String domain : List.of("Page", "Runtime", "Log", "Network")) b.call(domain + ".enable", null);
            b.call("Emulation.setDeviceMetricsOverride", HeadlessChromium.params().put("width", WIDTH).put("height", 900)
                    .put("deviceScaleFactor", 1).put("mobile", false));
            b.call("Page.navigate", HeadlessChromium.params().put("url", report.toUri().toString()));
            b.await("Page.loadEventFired", 60);

            JsonNode page = evaluate(b, "JSON.stringify({title: document.title, height: document.documentElement.scrollHeight,"
                    + " sections: document.querySelectorAll('section').length, text: document.body.innerText.length})");
            assertTrue(page.path("title").asText().startsWith("varpart report"), page.toString());
            assertEquals(1 + ReportFixture.assays().size(), page.path("sections").asInt(), "the run and one section per assay");
            int height = page.path("height").asInt();
            b.call("Emulation.setDeviceMetricsOverride", HeadlessChromium.params().put("width", WIDTH).put("height", height)
                    .put("deviceScaleFactor", 1).put("mobile", false));
            JsonNode images = evaluate(b, "JSON.stringify(Array.from(document.images).map(i => { const r = i.getBoundingClientRect();"
                    + " return {id: i.id, complete: i.complete, natural: i.naturalWidth, x: r.left + scrollX, y: r.top + scrollY,"
                    + " w: r.width, h: r.height}; }))");
            assertEquals(3 * ReportFixture.assays().size(), images.size(), images.toString());
            String shot = b.call("Page.captureScreenshot", HeadlessChromium.params().put("format", "png")
                    .put("captureBeyondViewport", true)).path("data").asText();
            byte[] png = Base64.getDecoder().decode(shot);
            Files.write(Path.of("target", "report-screenshot.png"), png);
            BufferedImage screen = ImageIO.read(new ByteArrayInputStream(png));

            for (JsonNode img : images) {
                String id = img.path("id").asText();
                assertTrue(img.path("complete").asBoolean() && img.path("natural").asInt() > 0, id + " decoded: " + img);
                assertTrue(img.path("w").asDouble() > 300 && img.path("h").asDouble() > 150, id + " laid out: " + img);
                int x0 = (int) img.path("x").asDouble(), y0 = (int) img.path("y").asDouble();
                int w = Math.min((int) img.path("w").asDouble(), screen.getWidth() - x0), h = Math.min((int) img.path("h").asDouble(), screen.getHeight() - y0);
                assertTrue(w > 0 && h > 0, id + " inside the screenshot");
                Set<Integer> colours = new HashSet<>();
                long ink = 0;
                for (int y = y0; y < y0 + h; y++) {
                    for (int x = x0; x < x0 + w; x++) {
                        int p = screen.getRGB(x, y) & 0xFFFFFF;
                        colours.add(p & 0xF8F8F8);
                        if (p != 0xFFFFFF) ink++;
                    }
                }
                assertTrue(colours.size() >= 40, id + ": " + colours.size() + " colours in its region of the screenshot");
                assertTrue(ink > 0.03 * w * h, id + ": " + ink + " drawn pixels of " + (long) w * h);
            }

            List<String> problems = new ArrayList<>();
            for (JsonNode e : b.events()) {
                String method = e.path("method").asText();
                JsonNode p = e.path("params");
                switch (method) {
                    case "Runtime.exceptionThrown" -> problems.add("exception: " + p.path("exceptionDetails"));
                    case "Runtime.consoleAPICalled" -> {
                        if (List.of("error", "warning", "assert").contains(p.path("type").asText())) problems.add("console: " + p);
                    }
                    case "Log.entryAdded" -> {
                        if (List.of("error", "warning").contains(p.path("entry").path("level").asText())) problems.add("log: " + p.path("entry"));
                    }
                    case "Network.loadingFailed" -> problems.add("failed to load: " + p);
                    case "Network.requestWillBeSent" -> {
                        String url = p.path("request").path("url").asText();
                        if (!url.startsWith("file:") && !url.startsWith("data:")) problems.add("fetched from outside the file: " + url);
                    }
                    default -> { }
                }
            }
            assertEquals(List.of(), problems, "the page loads without errors and fetches nothing");
        }
    }

    private static JsonNode evaluate(HeadlessChromium b, String expression) throws Exception {
        JsonNode r = b.call("Runtime.evaluate", HeadlessChromium.params().put("expression", expression).put("returnByValue", true));
        return new ObjectMapper().readTree(r.path("result").path("value").asText());
    }
}
