package dev.llmotel.it.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an {@link OtlpReceiver} behaves like a given backend: the path its OTLP endpoints sit under, the headers a
 * request must carry (else 401, as the backends answer a wrong key) and what it does with metrics.
 *
 * @param name what the receiver stands for, in messages
 * @param pathPrefix put before {@code /v1/traces}, {@code /v1/metrics} and {@code /v1/logs} ("" for plain OTLP)
 * @param requiredHeaders header name to exact value; a request missing one is answered 401 and not decoded
 * @param metrics what a metrics export gets
 */
public record ReceiverBehaviour(String name, String pathPrefix, Map<String, String> requiredHeaders,
    MetricsAnswer metrics) {

  /** What the backend does with an OTLP metrics export. */
  public enum MetricsAnswer {
    /** 200, decoded and kept (an OTLP collector, OpenObserve). */
    KEEP,
    /** 200 with an empty response, thrown away (Langfuse). */
    DISCARD,
    /** 501 Not Implemented (Opik). */
    NOT_IMPLEMENTED
  }

  public ReceiverBehaviour {
    requiredHeaders = Map.copyOf(requiredHeaders);
  }

  /** A plain OTLP/HTTP collector: {@code /v1/*}, no credentials, metrics kept. */
  public static ReceiverBehaviour plainOtlp() {
    return new ReceiverBehaviour("otlp", "", Map.of(), MetricsAnswer.KEEP);
  }

  /**
   * Langfuse: {@code {host}/api/public/otel/v1/traces}, HTTP Basic of {@code publicKey:secretKey}; metrics accepted
   * and discarded.
   */
  public static ReceiverBehaviour langfuse(String publicKey, String secretKey) {
    return new ReceiverBehaviour("langfuse", "/api/public/otel", Map.of("Authorization", basic(publicKey, secretKey)),
        MetricsAnswer.DISCARD);
  }

  /**
   * Opik behind {@code {base}} = receiver endpoint + {@code basePath} (e.g. "/api"): {@code {base}/v1/private/otel/v1/traces}
   * with the API key as {@code Authorization} and the {@code Comet-Workspace} header; metrics answered 501.
   */
  public static ReceiverBehaviour opik(String basePath, String apiKey, String workspace) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", apiKey);
    headers.put("Comet-Workspace", workspace);
    return new ReceiverBehaviour("opik", basePath + "/v1/private/otel", headers, MetricsAnswer.NOT_IMPLEMENTED);
  }

  /** OpenObserve: {@code {url}/api/{org}/v1/traces} and {@code /v1/metrics}, with its {@code Authorization} value. */
  public static ReceiverBehaviour openObserve(String org, String authorization) {
    return new ReceiverBehaviour("openobserve", "/api/" + org, Map.of("Authorization", authorization),
        MetricsAnswer.KEEP);
  }

  /** {@code Basic base64(user:password)}. */
  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
