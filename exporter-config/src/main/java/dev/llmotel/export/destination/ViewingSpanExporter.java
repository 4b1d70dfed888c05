package dev.llmotel.export.destination;

import dev.llmotel.config.AgentLog;
import dev.llmotel.config.SafeUrls;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applies a destination's {@link SpanView} before export, and turns the first 401/403 into one clear warning naming
 * the destination and the likely cause (instead of a log line per batch).
 */
public final class ViewingSpanExporter implements SpanExporter {
  private final Destination destination;
  private final SpanExporter delegate;
  private final AtomicBoolean authWarned = new AtomicBoolean();

  public ViewingSpanExporter(Destination destination, SpanExporter delegate) {
    this.destination = destination;
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<SpanData> viewed = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      SpanData v;
      try {
        v = destination.view().apply(span);
      } catch (Throwable t) {
        v = span;
      }
      viewed.add(v);
    }
    CompletableResultCode result = delegate.export(viewed);
    result.whenComplete(() -> {
      if (result.isSuccess()) return;
      int status = statusOf(result.getFailureThrowable());
      if ((status == 401 || status == 403) && authWarned.compareAndSet(false, true)) {
        AgentLog.warn(destination.name() + " rejected the spans with HTTP " + status + " at "
            + SafeUrls.redact(destination.tracesEndpoint()) + ": " + Hints.forStatus(destination.name(), status));
      }
    });
    return result;
  }

  /** The HTTP status of a failed OTLP export, or -1 when there was no response. */
  public static int statusOf(Throwable failure) {
    if (failure instanceof FailedExportException.HttpExportException) {
      FailedExportException.HttpExportException http = (FailedExportException.HttpExportException) failure;
      if (http.failedWithResponse() && http.getResponse() != null) return http.getResponse().getStatusCode();
    }
    return -1;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
