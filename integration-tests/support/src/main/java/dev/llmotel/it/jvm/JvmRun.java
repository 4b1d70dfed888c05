package dev.llmotel.it.jvm;

import java.time.Duration;
import java.util.List;

/** The outcome of one launched JVM: exit code, stdout and stderr captured separately, duration. */
public record JvmRun(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed,
    boolean timedOut) {

  /** A few lines saying what ran and how it ended, with stderr, for assertion messages. */
  public String describe() {
    return "command: " + String.join(" ", command) + "\nexit " + (timedOut ? "(timed out)" : exitCode) + " after "
        + elapsed.toMillis() + " ms\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr + "---";
  }
}
