package dev.llmotel.hook.reactornetty.v1;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check the hook tests end with can fail: a buffer never released is reported. */
class LeakRecorderTest {
  @Test
  void aBufferNeverReleasedIsReported() throws Exception {
    WovenReactorNetty.install();
    leakOne();
    List<String> reports = List.of();
    for (int i = 0; i < 20 && reports.stream().noneMatch(r -> r.contains(LeakRecorder.DELIBERATE)); i++) {
      reports = LeakRecorder.reports();
    }
    assertTrue(LeakRecorder.tracksByteBufs(), "the recorder is Netty's buffer leak detector");
    assertTrue(reports.stream().anyMatch(r -> r.contains(LeakRecorder.DELIBERATE)), reports.toString());
  }

  private static void leakOne() {
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    buffer.writeLong(42);
    buffer.touch(LeakRecorder.DELIBERATE);
  }
}
