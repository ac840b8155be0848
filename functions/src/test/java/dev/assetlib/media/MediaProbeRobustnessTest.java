package dev.assetlib.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever follows a format's magic bytes, the probe answers (facts or unreadable) and never throws. */
class MediaProbeRobustnessTest {
    private static final byte[][] HEADS = {
            {(byte) 0xff, (byte) 0xd8, (byte) 0xff},
            {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a},
            {'G', 'I', 'F', '8', '9', 'a'},
            {'B', 'M'},
            {'I', 'I', 42, 0},
            {'M', 'M', 0, 42},
            {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'},
            {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'},
            {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'},
            {0, 0, 0, 0x14, 'f', 't', 'y', 'p', 'q', 't', ' ', ' '},
            {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0},
            {(byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64}};

    @Provide
    Arbitrary<byte[]> tails() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(600);
    }

    @Property(tries = 300)
    void anyBytesAfterAKnownHeadAreProbedOrUnreadable(@ForAll("tails") byte[] tail, @ForAll byte headIndex) throws Exception {
        byte[] head = HEADS[Math.floorMod(headIndex, HEADS.length)];
        byte[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        Path file = Files.createTempFile("probe-", ".bin");
        try {
            Files.write(file, all);
            ProbeResult r = new MediaProbe().probe(file);
            assertThat(r).isNotNull();
            if (r instanceof ProbeResult.Probed p) {
                assertThat(p.facts().bytes()).isEqualTo(all.length);
            } else {
                assertThat(((ProbeResult.Unreadable) r).reason()).isNotBlank();
            }
        } finally {
            Files.delete(file);
        }
    }
}
