package dev.assetlib.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void noColorSetToAnythingNonEmptyOrADumbTerminalTurnsColourOff() {
        assertThat(Terminal.colourAllowed(Map.of())).isTrue();
        assertThat(Terminal.colourAllowed(Map.of("NO_COLOR", ""))).isTrue(); // no-color.org: only a non-empty value counts
        assertThat(Terminal.colourAllowed(Map.of("NO_COLOR", "1"))).isFalse();
        assertThat(Terminal.colourAllowed(Map.of("TERM", "dumb"))).isFalse();
    }

    @Test
    void coloursOnlyOnTheStreamThatIsATerminal() {
        Terminal t = new Terminal(true, false, true, 80);
        assertThat(t.stdoutStyle().status("Active")).isEqualTo("\u001b[32mActive\u001b[0m");
        assertThat(t.stderrStyle().status("Active")).isEqualTo("Active");
        assertThat(t.withoutColour().stdoutStyle().status("Failed")).isEqualTo("Failed");
    }

    @Test
    void widthComesFromColumnsWhenSensible() {
        assertThat(Terminal.width(Map.of("COLUMNS", "120"))).isEqualTo(120);
        assertThat(Terminal.width(Map.of("COLUMNS", "7"))).isEqualTo(80);
        assertThat(Terminal.width(Map.of())).isEqualTo(80);
    }
}
