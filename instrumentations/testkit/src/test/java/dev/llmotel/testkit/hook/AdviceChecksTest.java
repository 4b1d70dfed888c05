package dev.llmotel.testkit.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.bootstrap.Bridges;
import dev.llmotel.bootstrap.CallHook;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class AdviceChecksTest {
  static final class CleanAdvice {
    static Object enter(Object self) {
      CallHook hook = Bridges.callHook("slot");
      return hook == null ? null : hook.enter(self, new Object[] {self});
    }
  }

  static final class ForeignAdvice {
    static Object enter(Object self) {
      Bridges.callHook("slot");
      return new RecordedBytes();
    }
  }

  static final class NoBridgeAdvice {
    static Object enter(Object self) {
      return String.valueOf(self);
    }
  }

  @Test
  void jdkAndBridgeTypesPass() {
    AdviceChecks.assertOnlyJdkAndBridgeTypes(CleanAdvice.class);
  }

  @Test
  void aForeignTypeFailsNamingIt() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> AdviceChecks.assertOnlyJdkAndBridgeTypes(CleanAdvice.class, ForeignAdvice.class));
    assertTrue(e.getMessage().contains("ForeignAdvice -> dev/llmotel/testkit/hook/RecordedBytes"), e.getMessage());
    AdviceChecks.assertOnlyJdkAndBridgeTypes(List.of("dev/llmotel/testkit/"), ForeignAdvice.class);
  }

  @Test
  void adviceThatNeverCallsTheBridgeFails() {
    assertThrows(AssertionFailedError.class, () -> AdviceChecks.assertOnlyJdkAndBridgeTypes(NoBridgeAdvice.class));
    assertThrows(AssertionFailedError.class, () -> AdviceChecks.assertOnlyJdkAndBridgeTypes());
  }

  @Test
  void methodsCallingFindsTheBridgeReaders() {
    assertEquals(List.of("enter(Ljava/lang/Object;)Ljava/lang/Object;"), AdviceChecks.methodsCalling(
        AdviceChecks.classBytes(CleanAdvice.class), "dev/llmotel/bootstrap/Bridges", "callHook"));
    assertEquals(List.of(), AdviceChecks.methodsCalling(
        AdviceChecks.classBytes(NoBridgeAdvice.class), "dev/llmotel/bootstrap/Bridges", "callHook"));
  }

  @Test
  void classBytesByNameReadsWithoutLoading() {
    assertTrue(AdviceChecks.codeReferences(AdviceChecks.classBytes(AdviceChecksTest.class,
        "AdviceChecksTest$ForeignAdvice")).contains("dev/llmotel/testkit/hook/RecordedBytes"));
  }
}
