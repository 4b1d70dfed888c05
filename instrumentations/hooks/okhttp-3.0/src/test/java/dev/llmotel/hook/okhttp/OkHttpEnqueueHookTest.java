package dev.llmotel.hook.okhttp;

/** The hook test kit's contract, with OkHttp's {@code enqueue}: the interceptor runs on the dispatcher's thread. */
class OkHttpEnqueueHookTest extends OkHttpHookTest {
  @Override
  protected boolean enqueue() {
    return true;
  }
}
