package dev.assetlib.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Waiting executions must cost timers, not threads: the local stack may hold thousands. */
class ScaleTest {
  private static final int EXECUTIONS = 10_000;
  private static final String WAIT_HEAVY = "{\"StartAt\":\"Prepare\",\"States\":{"
      + "\"Prepare\":{\"Type\":\"Pass\",\"Result\":3600,\"ResultPath\":\"$.secs\",\"Next\":\"Short\"},"
      + "\"Short\":{\"Type\":\"Wait\",\"Seconds\":0,\"Next\":\"Long\"},"
      + "\"Long\":{\"Type\":\"Wait\",\"SecondsPath\":\"$.secs\",\"Next\":\"Again\"},"
      + "\"Again\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}";

  @Test
  void tenThousandWaitingExecutionsHoldTimersNotThreads() throws Exception {
    int before = ManagementFactory.getThreadMXBean().getThreadCount();
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().workerThreads(4).build()) {
      String arn = sfn.createStateMachine("WaitHeavy", WAIT_HEAVY, Map.of());
      for (int i = 0; i < EXECUTIONS; i++) {
        sfn.startExecution(arn, "e" + i, "{\"i\":" + i + "}");
      }
      // Wait (no time assertion; the deadline only keeps a broken build from hanging) until every
      // execution is parked in the hour-long Wait state.
      long deadline = System.nanoTime() + 120_000_000_000L;
      long parked = 0;
      while (System.nanoTime() < deadline) {
        parked = sfn.listExecutions(arn, ExecutionStatus.RUNNING).stream()
            .filter(v -> "Long".equals(v.currentState())).count();
        if (parked == EXECUTIONS) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(parked).isEqualTo(EXECUTIONS);
      assertThat(sfn.runningExecutions()).isEqualTo(EXECUTIONS);

      long sfnThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("sfn-")).count();
      assertThat(sfnThreads).as("interpreter threads: 1 timer + 4 workers").isLessThanOrEqualTo(5);
      int during = ManagementFactory.getThreadMXBean().getThreadCount();
      assertThat(during - before).as("threads added while 10,000 executions wait").isLessThan(20);
      assertThat(sfn.stateTransitions()).isEqualTo(3L * EXECUTIONS);
    }
  }
}
