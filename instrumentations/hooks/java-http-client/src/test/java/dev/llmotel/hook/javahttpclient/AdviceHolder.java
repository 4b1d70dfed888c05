package dev.llmotel.hook.javahttpclient;

import java.util.concurrent.atomic.AtomicReference;

/** Loaded by the test loader, so the woven fake (in a child loader) and the test share it. */
public final class AdviceHolder {
  public static final AtomicReference<Object[]> RECEIVED = new AtomicReference<>();

  private AdviceHolder() {}
}
