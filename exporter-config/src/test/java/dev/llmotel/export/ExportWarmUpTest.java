package dev.llmotel.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ExportWarmUpTest {
  @Test
  void marshalsAThrowAwaySpanAndMetrics() throws Exception {
    // a span with its resource and scope, and three metrics: some hundreds of bytes each, written nowhere
    assertTrue(ExportWarmUp.marshalSpan() > 100);
    assertTrue(ExportWarmUp.marshalMetrics() > 100);
  }

  @Test
  void connectsNowhere() throws Exception {
    ServerSocket listener;
    try {
      listener = new ServerSocket(4318, 8, InetAddress.getByName("127.0.0.1"));
    } catch (java.io.IOException inUse) {
      Assumptions.abort("port 4318 in use here");
      return;
    }
    try (ServerSocket l = listener) {
      ExportWarmUp.run();
      l.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, l::accept, "the warm-up opened a connection");
    }
  }
}
