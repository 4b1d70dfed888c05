package dev.llmotel.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.llmotel.it.jvm.Jdk;
import org.junit.jupiter.api.Test;

/** Says whether the scenarios also ran on a JDK newer than the one running the tests. */
class JdkCoverageTest {
  @Test
  void scenariosAlsoRunOnANewerJdk() {
    assumeFalse(Jdk.newerInstalled().isEmpty(), "no JDK newer than " + Jdk.current().feature()
        + " under /usr/lib/jvm (or -D" + Jdk.JDK_DIR_PROPERTY + "): scenarios ran on " + Jdk.current() + " only");
    assertTrue(Jdk.all().size() >= 2, Jdk.all().toString());
  }
}
