package dev.assetlib.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.app.upload.UploadReceiver;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.store.AssetStore;
import dev.assetlib.testing.LocalAws;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 15, item 8: no input can split a log line (log injection). */
@ExtendWith(LocalAws.class)
class LogTextTest {

    @Test
    void lineBreaksAndControlCharactersAreEscapedAndLongTextIsCut() {
        assertThat(LogText.safe("a\nb\r\nc\u0007d\u2028e\tf")).isEqualTo("a\\nb\\r\\nc\\u0007d\\u2028e\\tf");
        assertThat(LogText.safe(null)).isEqualTo("null");
        String cut = LogText.safe("y".repeat(5000));
        assertThat(cut).startsWith("y".repeat(1000)).endsWith("...(5000 characters)").hasSizeLessThan(1100);
    }

    @Test
    void anObjectKeyWithANewlineLogsAsOneLine(LocalAws aws) {
        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(UploadReceiver.class.getName());
        java.util.logging.Level before = logger.getLevel();
        logger.setLevel(java.util.logging.Level.ALL); // whatever level other tests left
        logger.addHandler(capture);
        try {
            new UploadReceiver(new AssetStore(aws.clients().dynamoDb(), aws.table(), new AssetIds()), Clock.systemUTC())
                    .receive("ObjectCreated:Put", "elsewhere/x\nSEVERE: forged line", 10);
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(before);
        }
        assertThat(logged).isNotEmpty().allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("\n")
                .contains("x\\nSEVERE: forged line"));
    }
}
