package dev.assetlib.local.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.RunningStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review console in real headless Chromium against a whole local stack with {@code --reviewer
 * human}, over HTTP only: the browser signs in with a reviewer key and decides; the checks read
 * the public API as the uploader does. Images come from another local origin (a {@link MediaOrigin}),
 * allowed by the console's CSP through the ConsoleMediaOrigins parameter.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ReviewConsoleBrowserTest {
    static final String STUDIO_UPLOADER = key("studioUploader");
    static final String STUDIO_REVIEWER = key("studioReviewer");
    static final String STUDIO_REVIEWER_2 = key("secondReviewer");
    static final String KBD_UPLOADER = key("kbdUploader");
    static final String KBD_REVIEWER = key("kbdReviewer");
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    static MediaOrigin media;
    static RunningStack stack;
    static ConsoleApi api;
    static String console;
    static int image;
    final List<WebDriver> browsers = new ArrayList<>();

    static String key(String label) {
        return "alk_" + (label + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ").substring(0, 43);
    }

    @BeforeAll
    static void startStack() throws Exception {
        Chromium.requireInstalled();
        media = new MediaOrigin();
        stack = RunningStack.start(RunningStack.Hooks.NONE, "--api-port=0", "--dynamodb-port=0", "--sqs-port=0",
                "--sfn-port=0", "--s3-port=0", "--data-dir=local/target/console-e2e-" + UUID.randomUUID(),
                "--project-dir=..", "--time-scale=0.01", "--reviewer", "human",
                "--dev-key", STUDIO_UPLOADER + "=studio," + KBD_UPLOADER + "=kbd",
                "--reviewer-key", STUDIO_REVIEWER + "=studio," + STUDIO_REVIEWER_2 + "=studio," + KBD_REVIEWER + "=kbd",
                "--parameter", "ConsoleMediaOrigins=" + media.origin(),
                "--fetch-allow", media.origin().substring("http://".length()));
        api = new ConsoleApi(stack.apiEndpoint());
        console = stack.apiEndpoint() + "/console/";
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (media != null) {
            media.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    ChromeDriver browser() {
        return browser(1280, 900);
    }

    ChromeDriver browser(int width, int height) {
        ChromeDriver driver = Chromium.start(width, height);
        browsers.add(driver);
        return driver;
    }

    static synchronized String uploadImage(String uploader, String name) {
        return api.uploadImage(uploader, media.imageUrl(++image), name);
    }

    static WebDriverWait waitOn(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    static void signIn(WebDriver driver, String key) {
        signInAt(driver, console, key);
    }

    static void signInAt(WebDriver driver, String console, String key) {
        driver.get(console);
        WebElement input = waitOn(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        input.sendKeys(key);
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        waitOn(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("queue")));
    }

    static WebElement card(WebDriver driver, String assetId) {
        return waitOn(driver).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("li.card[data-asset-id='" + assetId + "']")));
    }

    static String outcomeOf(WebDriver driver, String assetId, String expected) {
        By outcome = By.cssSelector("li.card[data-asset-id='" + assetId + "'] .outcome");
        waitOn(driver).until(ExpectedConditions.textToBePresentInElementLocated(outcome, expected));
        return driver.findElement(outcome).getText();
    }

    static void assertNoDialogOpened(WebDriver driver) {
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    static void screenshot(WebDriver driver, String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name), ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theConsoleIsServedWithStrictSecurityHeadersAndNothingOutsideItsFolder() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        String csp = page.headers().firstValue("content-security-policy").orElseThrow();
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'",
                "img-src 'self' " + media.origin());
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("referrer-policy")).hasValue("no-referrer");
        assertThat(page.body()).doesNotContain("<script>", "style=", "onclick", "onload");
        for (String path : List.of("/console/../template.yaml", "/console/%2e%2e/template.yaml", "/console/js/", "/console/nope.html")) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(stack.apiEndpoint() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void aWrongKeyAndAnUploaderKeyAreRefusedAndAReviewerKeySignsInWithTheKeyKeptOutOfTheUrl() {
        ChromeDriver driver = browser();
        driver.get(console);
        WebElement input = waitOn(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        By error = By.id("sign-in-error");

        input.sendKeys(key("notAKeyAnyoneHas"));
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        waitOn(driver).until(ExpectedConditions.textToBePresentInElementLocated(error, "not recognised"));

        input.clear();
        input.sendKeys(STUDIO_UPLOADER);
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        waitOn(driver).until(ExpectedConditions.textToBePresentInElementLocated(error, "not a reviewer key"));
        assertThat(driver.findElement(By.id("queue")).isDisplayed()).isFalse();
        assertThat(driver.executeScript("return sessionStorage.length")).isEqualTo(0L);

        input.clear();
        input.sendKeys(STUDIO_REVIEWER);
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        waitOn(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("queue")));
        assertThat(driver.getCurrentUrl()).doesNotContain(STUDIO_REVIEWER).endsWith("/console/#/queue");
        assertThat(driver.executeScript("return sessionStorage.getItem('assetlib.reviewerKey')")).isEqualTo(STUDIO_REVIEWER);
        assertThat(driver.findElement(By.id("api-key")).getAttribute("value")).isEmpty();

        driver.findElement(By.id("sign-out")).click();
        waitOn(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        assertThat(driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void theQueueShowsUploadedAssetsOldestFirstWithTheirPreviewsAndFacts() throws Exception {
        String front = uploadImage(STUDIO_UPLOADER, "Portrait, front light");
        String side = uploadImage(STUDIO_UPLOADER, "Portrait, side light");
        api.awaitPending(STUDIO_REVIEWER, List.of(front, side), PATIENCE);
        // Oldest hand-over first: concurrent reviews (a shared execution, the media step) need not
        // hand the two over in upload order, so the queue's own order says which is older.
        List<String> order = api.pendingIds(STUDIO_REVIEWER).stream().filter(id -> id.equals(front) || id.equals(side)).toList();
        String older = order.get(0);
        String newer = order.get(1);
        String olderName = older.equals(front) ? "Portrait, front light" : "Portrait, side light";
        int servedBefore = media.served();
        ChromeDriver driver = browser();
        signIn(driver, STUDIO_REVIEWER);

        WebElement first = card(driver, older);
        WebElement second = card(driver, newer);
        assertThat(first.findElement(By.cssSelector("h3")).getText()).isEqualTo(olderName);
        assertThat(first.getText()).contains("Image", "studio", older, "Waiting");
        // oldest first: the older card comes before the newer one in the list
        assertThat((Boolean) driver.executeScript("return arguments[0].compareDocumentPosition(arguments[1]) === Node.DOCUMENT_POSITION_FOLLOWING",
                first, second)).isTrue();
        // the previews really loaded, from the service's stored copies (presigned GETs of the media
        // bucket, allowed by the CSP), never from the client's media origin again
        for (WebElement c : List.of(first, second)) {
            WebElement img = c.findElement(By.cssSelector("figure.preview img"));
            waitOn(driver).until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                    "return arguments[0].complete ? arguments[0].naturalWidth : 0", img)).intValue() == 400);
            assertThat(img.getAttribute("src")).startsWith(stack.mediaEndpoint() + "/" + stack.mediaBucket() + "/media/studio/");
        }
        assertThat(media.served() - servedBefore).isZero();
        waitOn(driver).until(ExpectedConditions.textMatches(By.id("pending-count"), java.util.regex.Pattern.compile("\\d+ pending")));
        screenshot(driver, "queue.png");

        // tablet width: still one column, previews above the facts, nothing cut off
        ChromeDriver tablet = browser(820, 1000);
        signIn(tablet, STUDIO_REVIEWER);
        WebElement narrow = card(tablet, older);
        assertThat(narrow.getRect().getWidth()).isLessThanOrEqualTo(820);
        assertThat((Long) tablet.executeScript("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(820L);
        screenshot(tablet, "queue-tablet.png");
    }

    @Test
    void approvingInTheConsoleMakesTheAssetActiveAndItsHistoryNamesTheReviewer() throws Exception {
        String id = uploadImage(STUDIO_UPLOADER, "Approve me");
        api.awaitPending(STUDIO_REVIEWER, List.of(id), PATIENCE);
        ChromeDriver driver = browser();
        signIn(driver, STUDIO_REVIEWER);
        card(driver, id).findElement(By.cssSelector("button.approve")).click();
        // Who decided is the key's id (key- and 12 random characters), never a part of the key (issue 15, hole 5).
        String outcome = outcomeOf(driver, id, "Approved by you");
        java.util.regex.Matcher keyId = java.util.regex.Pattern.compile("key-[a-z2-9]{12}").matcher(outcome);
        assertThat(keyId.find()).as(outcome).isTrue();
        assertThat(outcome).doesNotContain(STUDIO_REVIEWER.substring(4, 10));

        assertThat(api.awaitTerminal(STUDIO_UPLOADER, id, PATIENCE).path("status").asText()).isEqualTo("Active");

        driver.get(console + "#/asset/" + id);
        By history = By.id("asset-history");
        String actor = "reviewer:" + keyId.group() + "@studio";
        waitOn(driver).until(ExpectedConditions.textToBePresentInElementLocated(history, actor));
        assertThat(driver.findElement(history).getText()).contains("Processing → Active");
        assertThat(driver.findElement(By.id("asset-facts")).getText()).contains("Active", id);
        WebElement img = driver.findElement(By.cssSelector("#asset-media figure.preview img"));
        waitOn(driver).until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0", img)).intValue() == 400);
        screenshot(driver, "asset.png");
    }

    @Test
    void rejectingWithAPresetReasonAndDetailsFailsTheAssetWithThatReason() {
        String id = uploadImage(STUDIO_UPLOADER, "Reject me");
        api.awaitPending(STUDIO_REVIEWER, List.of(id), PATIENCE);
        ChromeDriver driver = browser();
        signIn(driver, STUDIO_REVIEWER);
        card(driver, id).findElement(By.cssSelector("button.reject")).click();
        WebElement dialog = waitOn(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("reject-dialog")));
        // no reason chosen: refused in the dialog, nothing sent
        driver.findElement(By.id("reject-confirm")).click();
        waitOn(driver).until(ExpectedConditions.textToBePresentInElementLocated(By.id("reject-error"), "Choose a reason"));
        dialog.findElement(By.cssSelector("label[for='reject-preset-1']")).click();
        driver.findElement(By.id("reject-text")).sendKeys("two people in the frame");
        driver.findElement(By.id("reject-confirm")).click();
        outcomeOf(driver, id, "Rejected by you");

        JsonNode detail = api.awaitTerminal(STUDIO_UPLOADER, id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Failed");
        assertThat(detail.path("errorCode").asText()).isEqualTo("REVIEW_REJECTED");
        assertThat(detail.path("errorMessage").asText()).isEqualTo("More faces than the model allows: two people in the frame");
    }

    @Test
    void twoReviewersDecidingTheSameAssetOneWinsAndTheOtherSeesTheConflict() {
        String contested = uploadImage(STUDIO_UPLOADER, "Contested");
        String deleted = uploadImage(STUDIO_UPLOADER, "Deleted while on screen");
        api.awaitPending(STUDIO_REVIEWER, List.of(contested, deleted), PATIENCE);
        ChromeDriver first = browser();
        ChromeDriver second = browser();
        signIn(first, STUDIO_REVIEWER);
        signIn(second, STUDIO_REVIEWER_2);
        card(first, contested);
        card(second, contested);
        card(second, deleted);

        card(first, contested).findElement(By.cssSelector("button.approve")).click();
        outcomeOf(first, contested, "Approved by you");
        // the second reviewer still has the card on screen and rejects it: it lost
        card(second, contested).findElement(By.cssSelector("button.reject")).click();
        waitOn(second).until(ExpectedConditions.visibilityOfElementLocated(By.id("reject-dialog")));
        second.findElement(By.cssSelector("label[for='reject-preset-0']")).click();
        second.findElement(By.id("reject-confirm")).click();
        assertThat(outcomeOf(second, contested, "Conflict")).contains("another reviewer decided it first");
        assertThat(card(second, contested).getAttribute("class")).contains("conflict");
        assertThat(api.awaitTerminal(STUDIO_UPLOADER, contested, PATIENCE).path("status").asText()).isEqualTo("Active");

        // the uploader deletes an asset a reviewer still sees: the decision is refused and shown
        assertThat(api.call("DELETE", "/kyyVideo2/asset/" + deleted, STUDIO_UPLOADER, null).path("httpStatus").asInt()).isEqualTo(200);
        card(second, deleted).findElement(By.cssSelector("button.approve")).click();
        assertThat(outcomeOf(second, deleted, "Conflict")).isNotBlank();
        assertThat(api.detail(STUDIO_UPLOADER, deleted).path("status").asText()).isNotEqualTo("Active");
    }

    @Test
    void aHostileNameIsShownAsTextAndRunsNothing() {
        String hostile = "<img src=x onerror=alert(1)>";
        String id = uploadImage(STUDIO_UPLOADER, hostile);
        api.awaitPending(STUDIO_REVIEWER, List.of(id), PATIENCE);
        ChromeDriver driver = browser();
        signIn(driver, STUDIO_REVIEWER);
        WebElement card = card(driver, id);
        assertThat(card.findElement(By.cssSelector("h3")).getText()).isEqualTo(hostile);
        assertThat(driver.findElements(By.cssSelector("img[src='x']"))).isEmpty();
        assertThat(card.findElement(By.cssSelector("img")).getAttribute("alt")).isEqualTo("Image: " + hostile);
        assertNoDialogOpened(driver);

        driver.get(console + "#/asset/" + id);
        waitOn(driver).until(ExpectedConditions.textToBePresentInElementLocated(By.id("asset-title"), hostile));
        waitOn(driver).until(ExpectedConditions.textToBePresentInElementLocated(By.id("asset-history"), "created"));
        assertThat(driver.findElements(By.cssSelector("img[src='x']"))).isEmpty();
        assertNoDialogOpened(driver);
    }

    @Test
    void faceBoxesFromRekognitionShapedFindingsAreDrawnWhereTheRatiosSay() {
        ChromeDriver driver = browser();
        signIn(driver, STUDIO_REVIEWER);
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/console/js/media.js').then((m) => {
                  const fig = m.preview({ assetType: 'Image', assetId: 'asset-20260330142158-boxes', name: 'boxes',
                    previewUrl: arguments[0],
                    findings: { FaceDetails: [{ BoundingBox: { Left: 0.25, Top: 0.1, Width: 0.5, Height: 0.4 }, Confidence: 99.2 }] } }, { large: true });
                  document.getElementById('queue').prepend(fig);
                  const labels = m.findingsList({ ModerationLabels: [{ Name: 'Suggestive', Confidence: 61.54 }], FaceDetails: [{}] });
                  const img = fig.querySelector('img');
                  img.decode().then(() => {
                    const f = img.getBoundingClientRect();
                    const b = fig.querySelector('.face-box').getBoundingClientRect();
                    done({ w: f.width, l: (b.left - f.left) / f.width, t: (b.top - f.top) / f.height,
                           bw: b.width / f.width, bh: b.height / f.height, boxes: fig.querySelectorAll('.face-box').length,
                           labels: labels.textContent });
                  }, (e) => done({ error: String(e) }));
                });
                """, media.imageUrl(7));
        assertThat(r).doesNotContainKey("error");
        assertThat(((Number) r.get("boxes")).intValue()).isEqualTo(1);
        assertThat(((Number) r.get("w")).doubleValue()).isGreaterThan(100);
        assertThat(((Number) r.get("l")).doubleValue()).isCloseTo(0.25, within(0.01));
        assertThat(((Number) r.get("t")).doubleValue()).isCloseTo(0.10, within(0.01));
        assertThat(((Number) r.get("bw")).doubleValue()).isCloseTo(0.50, within(0.01));
        assertThat(((Number) r.get("bh")).doubleValue()).isCloseTo(0.40, within(0.01));
        assertThat((String) r.get("labels")).contains("Suggestive 61.5 %", "1 face found");
    }

    @Test
    void threeAssetsReviewedWithTheKeyboardAlone() {
        List<String> uploaded = List.of(uploadImage(KBD_UPLOADER, "Keyboard one"), uploadImage(KBD_UPLOADER, "Keyboard two"),
                uploadImage(KBD_UPLOADER, "Keyboard three"));
        api.awaitPending(KBD_REVIEWER, uploaded, PATIENCE);
        // The queue's order (oldest hand-over first): three reviews run concurrently, so on a busy
        // machine their hand-overs need not follow the upload order.
        List<String> ids = api.pendingIds(KBD_REVIEWER).stream().filter(uploaded::contains).toList();
        ChromeDriver driver = browser();
        driver.get(console);
        waitOn(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        Actions keys = new Actions(driver);
        // sign in: the key field has focus; type and press Enter
        waitOn(driver).until(d -> "api-key".equals(focusedId(d)));
        keys.sendKeys(KBD_REVIEWER + Keys.ENTER).perform();
        waitOn(driver).until(d -> ids.get(0).equals(focusedAsset(d)));

        keys.sendKeys("?").perform();
        waitOn(driver).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("return document.getElementById('help-dialog').open"));
        keys.sendKeys(Keys.ESCAPE).perform();
        waitOn(driver).until(d -> !(Boolean) ((JavascriptExecutor) d).executeScript("return document.getElementById('help-dialog').open"));

        keys.sendKeys("a").perform();
        outcomeOf(driver, ids.get(0), "Approved by you");
        waitOn(driver).until(d -> ids.get(1).equals(focusedAsset(d)));
        keys.sendKeys("k").perform();
        waitOn(driver).until(d -> ids.get(0).equals(focusedAsset(d)));
        keys.sendKeys("j").perform();
        waitOn(driver).until(d -> ids.get(1).equals(focusedAsset(d)));

        keys.sendKeys("r").perform();
        waitOn(driver).until(d -> "reject-preset-0".equals(focusedId(d)));
        keys.sendKeys(Keys.SPACE).perform(); // the focused preset: a real person's face without a release
        keys.sendKeys(Keys.TAB).perform();
        waitOn(driver).until(d -> "reject-text".equals(focusedId(d)));
        keys.sendKeys("keyboard only").sendKeys(Keys.TAB).sendKeys(Keys.TAB).perform();
        waitOn(driver).until(d -> "reject-confirm".equals(focusedId(d)));
        keys.sendKeys(Keys.ENTER).perform();
        outcomeOf(driver, ids.get(1), "Rejected by you");

        waitOn(driver).until(d -> ids.get(2).equals(focusedAsset(d)));
        keys.sendKeys("a").perform();
        outcomeOf(driver, ids.get(2), "Approved by you");

        assertThat(api.awaitTerminal(KBD_UPLOADER, ids.get(0), PATIENCE).path("status").asText()).isEqualTo("Active");
        JsonNode rejected = api.awaitTerminal(KBD_UPLOADER, ids.get(1), PATIENCE);
        assertThat(rejected.path("status").asText()).isEqualTo("Failed");
        assertThat(rejected.path("errorMessage").asText()).isEqualTo("A real person's face without a signed release: keyboard only");
        assertThat(api.awaitTerminal(KBD_UPLOADER, ids.get(2), PATIENCE).path("status").asText()).isEqualTo("Active");
    }

    static String focusedId(WebDriver d) {
        return (String) ((JavascriptExecutor) d).executeScript("return document.activeElement && document.activeElement.id");
    }

    static String focusedAsset(WebDriver d) {
        return (String) ((JavascriptExecutor) d).executeScript(
                "return document.activeElement && document.activeElement.getAttribute('data-asset-id')");
    }
}
