package dev.assetlib.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.assetlib.bench.media.ChildRuns;
import dev.assetlib.bench.media.SyntheticMp4;
import dev.assetlib.domain.AssetType;
import dev.assetlib.media.MediaCheck;
import dev.assetlib.media.MediaFacts;
import dev.assetlib.media.MediaFormat;
import dev.assetlib.media.MediaLimits;
import dev.assetlib.media.MediaProbe;
import dev.assetlib.media.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media part of ./bench/run: its files are media the probe accepts, a failed child makes its
 * targets read missed, and the whole part runs at a tiny size (a 2 MB video, a 400 px JPEG, two
 * singles against a batch of two on a local stack) and fills every table and target. Nothing
 * here is timed: the targets' values are whatever this machine measures.
 */
class MediaBenchTest {
    @Test
    void syntheticVideoAtTheLimitIsAnMp4TheMediaCheckAccepts(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("v.mp4");
        SyntheticMp4.write(video, MediaBench.Sizes.VIDEO_LIMIT, 1920, 1080, 30, 15);

        assertThat(Files.size(video)).isEqualTo(50L * 1024 * 1024);
        ProbeResult r = new MediaProbe().probe(video);
        assertThat(r).isInstanceOf(ProbeResult.Probed.class);
        MediaFacts f = ((ProbeResult.Probed) r).facts();
        assertThat(f.format()).isEqualTo(MediaFormat.MP4);
        assertThat(List.of(f.width(), f.height())).containsExactly(1920, 1080);
        assertThat(f.durationMs()).isEqualTo(15_000L);
        assertThat(f.fps()).isEqualTo(30.0);
        assertThat(f.videoCodec()).isEqualTo("avc1");
        assertThat(new MediaCheck(MediaLimits.vendorDefaults()).check(AssetType.Video, r)).isEmpty();
    }

    @Test
    void aChildThatFailedMakesThroughputAndHeapMissed() {
        JsonNode heap = JsonNodeFactory.instance.objectNode().put("sampledPeakUsedBytes", 30L << 20).put("peakAfterGcBytes", 10L << 20)
                .put("sumOfPoolPeaksBytes", 40L << 20).put("gcs", 7);
        ChildRuns.Run good = new ChildRuns.Run("media", List.of(9.0, 2.0, 4.0, 3.0), "ok", heap, 0, "");
        ChildRuns.Run oom = new ChildRuns.Run("media", List.of(), "", null, 1, "java.lang.OutOfMemoryError: Java heap space");

        MediaBench.Throughput both = MediaBench.Throughput.of(List.of(good, oom), 3_000_000);
        MediaBench.Throughput alone = MediaBench.Throughput.of(List.of(good), 3_000_000);

        assertThat(alone.allOk()).isTrue();
        assertThat(alone.medianSeconds()).isEqualTo(3.0); // the warm-up (9 s) left out
        assertThat(alone.mbPerSecond()).isEqualTo(1.0);
        assertThat(alone.peakUsedMb()).isEqualTo(30.0);
        assertThat(both.allOk()).isFalse();
        assertThat(both.okRuns()).isEqualTo(1);
        Report report = new Report();
        assertThat(report.target("heap", Double.NaN, "<=", 64, " MB")).isFalse(); // what run() records for a failed child
        assertThat(report.target("ratio", 100 * 2.0 / 2.4, ">=", 80, " %")).isTrue();
        assertThat(report.target("ratio", 100 * 2.0 / 2.6, ">=", 80, " %")).isFalse();
    }

    @Test
    void thePartRunsAtATinySizeAndFillsItsTablesAndTargets() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(project.resolve("template.yaml"))) {
            project = project.getParent();
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Report report = new Report();

        new MediaBench(MediaBench.Sizes.tiny(), project, classpath).run(report);

        String text = report.render();
        assertThat(text).contains("## Media step throughput").contains("## Probe time vs local fetch").contains("## Review state transitions");
        JsonNode media = report.finish().path("media");
        JsonNode t = media.path("throughput");
        assertThat(t.path("mediaRunsOk").asInt()).as(text).isEqualTo(1);
        assertThat(t.path("mediaResult").asText()).contains("MP4 1920x1080 15000 ms 30.0 fps avc1");
        assertThat(t.path("ratio").asDouble()).isPositive();
        assertThat(t.path("mediaPeakUsedHeapBytes").asLong()).isPositive().isLessThanOrEqualTo(64L << 20);
        assertThat(media.path("probe")).hasSize(2);
        assertThat(media.path("probe").get(0).path("probed").asText()).isEqualTo("JPEG 400x400");
        assertThat(media.path("probe").get(1).path("probed").asText()).startsWith("MP4 1920x1080 2000 ms 30 fps avc1");
        JsonNode shared = media.path("transitions").get(0);
        assertThat(shared.path("mode").asText()).isEqualTo("shared");
        assertThat(shared.path("singleExecutions").asInt()).isEqualTo(2);
        assertThat(shared.path("batchExecutions").asInt()).isEqualTo(1);
        assertThat(shared.path("mediaStepInEvery").asBoolean()).isTrue();
        assertThat(shared.path("batchTransitions").asLong()).isPositive();
        JsonNode targets = report.finish().path("targets");
        assertThat(targets).hasSize(5); // throughput, heap, two probe shares, transitions (shared)
        for (JsonNode target : targets) {
            assertThat(target.path("met").asBoolean())
                    .isEqualTo(Report.met(target.path("value").asDouble(), target.path("comparison").asText(), target.path("limit").asDouble()));
        }
    }
}
