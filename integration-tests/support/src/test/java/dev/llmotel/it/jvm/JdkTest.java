package dev.llmotel.it.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JdkTest {
  @Test
  void parsesFeatureVersions() {
    assertEquals(Optional.of(25), Jdk.parseFeature("25.0.1"));
    assertEquals(Optional.of(21), Jdk.parseFeature("21"));
    assertEquals(Optional.of(8), Jdk.parseFeature("1.8.0_402"));
    assertEquals(Optional.empty(), Jdk.parseFeature(""));
  }

  @Test
  void currentComesFirstAndOthersAreNewer() {
    List<Jdk> all = Jdk.all();
    assertEquals(Jdk.current(), all.get(0));
    all.stream().skip(1).forEach(j -> assertTrue(j.feature() > Jdk.current().feature(), j.toString()));
  }
}
