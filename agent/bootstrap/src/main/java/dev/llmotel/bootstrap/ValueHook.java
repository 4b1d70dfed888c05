package dev.llmotel.bootstrap;

/** Sees a value a library method is about to return and may return another one in its place. */
public interface ValueHook {
  /**
   * @param value the value the method would return
   * @param origin the class whose method returns it (tells the agent which class loader the value belongs to)
   * @return the value to return instead, or {@code value} itself
   */
  Object replace(Object value, Class<?> origin);
}
