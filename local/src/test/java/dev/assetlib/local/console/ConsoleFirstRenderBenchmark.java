package dev.assetlib.local.console;

import dev.assetlib.local.RunningStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Benchmark (not a test): the review console's first render on the local stack with N pending
 * assets (default 500), in headless Chromium. First render = from navigation start to the queue's
 * first page on screen (the console's performance mark console:queue-rendered), read in the
 * browser. Run with bench/console-render [pending] [runs]. Target: under 1,000 ms.
 */
public final class ConsoleFirstRenderBenchmark {
    static final String UPLOADER = ReviewConsoleBrowserTest.key("benchUploader");
    static final String REVIEWER = ReviewConsoleBrowserTest.key("benchReviewer");
    static final double TARGET_MS = 1000;

    public static void main(String[] args) throws Exception {
        int pending = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Chromium.requireInstalled();
        try (MediaOrigin media = new MediaOrigin();
             RunningStack stack = RunningStack.start(RunningStack.Hooks.NONE, "--api-port=0", "--dynamodb-port=0",
                     "--sqs-port=0", "--sfn-port=0", "--s3-port=0", "--data-dir=local/target/console-bench-" + UUID.randomUUID(),
                     "--project-dir=.", "--time-scale=0.01", "--reviewer", "human", "--dev-key", UPLOADER + "=bench",
                     "--reviewer-key", REVIEWER + "=bench", "--parameter", "ConsoleMediaOrigins=" + media.origin(),
                     "--fetch-allow", media.origin().substring("http://".length()))) {
            ConsoleApi api = new ConsoleApi(stack.apiEndpoint());
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<String>> uploads = new ArrayList<>();
            for (int i = 0; i < pending; i++) {
                int n = i;
                uploads.add(pool.submit(() -> api.uploadImage(UPLOADER, media.imageUrl(n), "Bench portrait " + n)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : uploads) {
                ids.add(f.get());
            }
            pool.shutdown();
            api.awaitPending(REVIEWER, ids, Duration.ofMinutes(5));
            System.err.printf("bench: %d assets pending after %.1f s%n", ids.size(), (System.nanoTime() - t0) / 1e9);

            String console = stack.apiEndpoint() + "/console/";
            ChromeDriver driver = Chromium.start(1280, 900);
            try {
                ReviewConsoleBrowserTest.signInAt(driver, console, REVIEWER);
                List<Double> render = new ArrayList<>();
                List<Double> count = new ArrayList<>();
                List<Double> call = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    driver.navigate().refresh();
                    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
                    wait.until(d -> driver.executeScript("return performance.getEntriesByName('console:count-shown').length > 0"));
                    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("li.card"), 0));
                    render.add(mark(driver, "console:queue-rendered"));
                    count.add(mark(driver, "console:count-shown"));
                    call.add(((Number) driver.executeScript("return performance.getEntriesByType('resource')"
                            + ".find((e) => e.name.includes('/review/pending?limit=25')).duration")).doubleValue());
                }
                int cards = driver.findElements(By.cssSelector("li.card")).size();
                String shown = driver.findElement(By.id("pending-count")).getText();
                System.out.println();
                System.out.printf("Review console, local stack, %d pending (%s shown; %d cards on the first page), %d page loads, headless Chromium%n%n",
                        pending, shown, cards, runs);
                System.err.println("bench: first render per load (ms): " + render);
                System.out.println("| measure | median ms | p95 ms | max ms | target | met |");
                System.out.println("|---|---:|---:|---:|---:|---|");
                row("first render (navigation start to first page of the queue on screen)", render, TARGET_MS);
                row("of which: the API call for the first page (25 items)", call, Double.NaN);
                row("live count shown (all pages walked, 100 a call)", count, Double.NaN);
            } finally {
                driver.quit();
            }
        }
    }

    static double mark(ChromeDriver driver, String name) {
        return ((Number) driver.executeScript("return performance.getEntriesByName(arguments[0])[0].startTime", name)).doubleValue();
    }

    static void row(String what, List<Double> values, double target) {
        List<Double> sorted = values.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        double p95 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1));
        double max = sorted.get(sorted.size() - 1);
        System.out.printf("| %s | %.0f | %.0f | %.0f | %s | %s |%n", what, median, p95, max,
                Double.isNaN(target) ? "-" : String.format("< %.0f", target),
                Double.isNaN(target) ? "-" : (max < target ? "yes" : "NO"));
    }
}
