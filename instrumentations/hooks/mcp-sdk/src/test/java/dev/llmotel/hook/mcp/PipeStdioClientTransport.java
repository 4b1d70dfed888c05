package dev.llmotel.hook.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The stdio client transport's protocol (one JSON-RPC message per line) over streams of this JVM instead of a child
 * process's, so that a client and a server session run in one test JVM, both advised.
 */
final class PipeStdioClientTransport implements McpClientTransport {
  private final McpJsonMapper mapper;
  private final InputStream in;
  private final OutputStream out;

  PipeStdioClientTransport(McpJsonMapper mapper, InputStream in, OutputStream out) {
    this.mapper = mapper;
    this.in = in;
    this.out = out;
  }

  @Override
  public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(mapper, line);
          handler.apply(Mono.just(message)).subscribe(reply -> {
            if (reply != null) sendMessage(reply).subscribe();
          });
        }
      } catch (Exception closed) {
        // the server went away
      }
    }, "pipe-client-reader");
    reader.setDaemon(true);
    reader.start();
    return Mono.empty();
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.fromRunnable(() -> {
      try {
        synchronized (out) {
          out.write((mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(() -> {
      try {
        out.close();
      } catch (Exception ignored) {
        // closed
      }
    });
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return mapper.convertValue(data, typeRef);
  }
}
