package dev.assetlib.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report writer: tables and JSON carry the same figures, each target with its met flag. */
class ReportTest {
    @Test
    void tablesAndJsonCarryTheTargetsWithMet(@TempDir Path dir) throws Exception {
        Report report = new Report();
        report.table("Cold start", "handler", "ratio").row("upload", 1.3).row("query", 0.98);
        assertThat(report.target("cold start ratio, upload", 1.3, "<=", 1.25, "")).isFalse();
        assertThat(report.target("warm throughput", 94.0, ">=", 70, " %")).isTrue();

        String text = report.render();
        assertThat(text).contains("## Cold start").contains("| upload  | 1.30  |").contains("NO (missed)").contains("94 %");
        Path file = dir.resolve("results/latest.json");
        report.write(file);
        JsonNode json = Report.MAPPER.readTree(Files.readString(file));
        assertThat(json.path("targets")).hasSize(2);
        assertThat(json.path("targets").get(0).path("met").asBoolean()).isFalse();
        assertThat(json.path("targets").get(1).path("met").asBoolean()).isTrue();
        assertThat(json.path("allTargetsMet").asBoolean()).isFalse();
    }

    @Test
    void statsAndNumbers() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Stats.percentile(List.of(1.0, 2.0, 3.0, 4.0, 5.0), 0.99)).isEqualTo(5.0);
        assertThat(Report.num(1234.4)).isEqualTo("1234");
        assertThat(Report.num(0.3333)).isEqualTo("0.333");
        assertThat(ColdStart.succeeded("{\"statusCode\": 200, \"body\": \"{}\"}")).isTrue();
        assertThat(ColdStart.succeeded("{\"isAuthorized\":true,\"context\":{\"authError\":\"invalid API key\"}}")).isFalse();
    }
}
