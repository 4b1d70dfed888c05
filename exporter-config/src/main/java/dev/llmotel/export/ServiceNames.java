package dev.llmotel.export;

/** Derives a service name from the JVM's command line when the user set none. */
final class ServiceNames {
  private ServiceNames() {}

  /**
   * {@code -jar path/to/orders-service-1.2.jar ...} gives {@code orders-service-1.2}; {@code com.acme.OrdersMain ...}
   * gives {@code OrdersMain}; null when there is nothing usable.
   */
  static String fromCommand(String command) {
    if (command == null) return null;
    String first = command.trim();
    int space = first.indexOf(' ');
    if (space > 0) first = first.substring(0, space);
    if (first.isEmpty()) return null;
    if (first.endsWith(".jar")) {
      int slash = Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\'));
      return first.substring(slash + 1, first.length() - 4);
    }
    int dot = first.lastIndexOf('.');
    return dot >= 0 ? first.substring(dot + 1) : first;
  }
}
