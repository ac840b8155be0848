package dev.assetlib.local.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium (Debian {@code chromium} and {@code chromium-driver}), driven over
 * WebDriver. No browser is downloaded: without one installed the browser tests skip, except under
 * {@code CI=true} where they fail (CI installs it, see .ci/run).
 */
public final class Chromium {
    public static final Path BROWSER = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    public static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** Skips the calling test class (or fails it under CI=true) when Chromium or its driver is missing. */
    public static void requireInstalled() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        String message = "no headless Chromium: " + BROWSER + " and " + DRIVER + " are needed for the review console's"
                + " browser tests (Debian: apt-get install chromium chromium-driver; or set CHROMIUM_BIN/CHROMEDRIVER_BIN)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        // surefire counts a class aborted in @BeforeAll as 0 tests run: say it in the build log too
        System.err.println("SKIPPED (the review console's browser tests): " + message);
        Assumptions.abort(message);
    }

    /** A new browser (its own profile, so its own session storage), window of the given CSS size. */
    public static ChromeDriver start(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withSilent(true).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }
}
