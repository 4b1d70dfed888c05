package dev.llmotel.export.destination;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;

/** A span with other attributes, everything else delegated. */
final class ViewedSpanData extends DelegatingSpanData {
  private final Attributes attributes;

  ViewedSpanData(SpanData delegate, Attributes attributes) {
    super(delegate);
    this.attributes = attributes;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes.size();
  }
}
