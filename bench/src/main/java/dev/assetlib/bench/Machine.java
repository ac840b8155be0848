package dev.assetlib.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** What the benchmark ran on: cores, memory, CPU, JVM, OS, and how busy the machine was. */
final class Machine {
    private Machine() {
    }

    static ObjectNode describe() {
        ObjectNode m = Report.MAPPER.createObjectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryMiB", memTotalKb() / 1024);
        m.put("cpu", firstLine("/proc/cpuinfo", "model name"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", osName() + " (" + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", " + System.getProperty("os.arch") + ")");
        m.put("loadAverageAtStart", read("/proc/loadavg").split(" ")[0]);
        m.put("date", Instant.now().toString());
        return m;
    }

    static String summary(ObjectNode m) {
        return m.path("cores").asInt() + " cores, " + m.path("memoryMiB").asLong() + " MiB, " + m.path("cpu").asText()
                + "; " + m.path("jvm").asText() + "; " + m.path("os").asText() + "; load " + m.path("loadAverageAtStart").asText()
                + " at start; " + m.path("date").asText();
    }

    private static long memTotalKb() {
        String line = firstLine("/proc/meminfo", "MemTotal");
        try {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().maxMemory() / 1024;
        }
    }

    private static String osName() {
        for (String line : read("/etc/os-release").split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring(12).replace("\"", "");
            }
        }
        return System.getProperty("os.name");
    }

    private static String firstLine(String file, String prefix) {
        for (String line : read(file).split("\n")) {
            if (line.startsWith(prefix)) {
                int colon = line.indexOf(':');
                return colon < 0 ? line : line.substring(colon + 1).trim();
            }
        }
        return "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (Exception e) {
            return "";
        }
    }
}
