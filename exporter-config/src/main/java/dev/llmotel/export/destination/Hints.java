package dev.llmotel.export.destination;

/** What a failed answer from a backend most likely means, in one sentence. */
public final class Hints {
  private Hints() {}

  public static String forStatus(String destination, int status) {
    switch (status) {
      case 401:
      case 403:
        if ("langfuse".equals(destination)) {
          return "wrong LANGFUSE_PUBLIC_KEY/LANGFUSE_SECRET_KEY, org-level keys, or the keys belong to another region "
              + "(cloud.langfuse.com vs us.cloud.langfuse.com: check LANGFUSE_HOST)";
        }
        if ("opik".equals(destination)) return "wrong OPIK_API_KEY, or it has no access to OPIK_WORKSPACE";
        if ("openobserve".equals(destination)) {
          return "wrong OPENOBSERVE_AUTH_TOKEN (expected \"Basic <base64 of email:token>\") or OPENOBSERVE_ORG";
        }
        return "the endpoint wants credentials: set OTEL_EXPORTER_OTLP_HEADERS";
      case 404:
      case 405:
        return "nothing accepts OTLP traces at this path: check the base URL (no extra path segments)";
      case 413:
        return "the backend refused the batch size: lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE";
      case 501:
        return "the backend does not accept this signal";
      default:
        return status >= 500 ? "the backend failed; it may be starting or overloaded" : "unexpected answer";
    }
  }
}
