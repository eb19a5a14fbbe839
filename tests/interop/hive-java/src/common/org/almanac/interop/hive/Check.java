package org.almanac.interop.hive;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Assertions that name the scenario step, the value checked, and the expected and actual value. */
final class Check {
  /** A failed check; its message is the whole diagnosis. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /**
   * A step that this client generation cannot take because its client lacks the method; a
   * generation's adapter throws it, and the section is reported as skipped with the message.
   */
  static final class Skip extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skip(String message) {
      super(message);
    }
  }

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  private static String step = "(no step yet)";

  private Check() {}

  /** Names the step that the following checks belong to. */
  static void step(String name) {
    step = name;
    System.out.println("STEP " + name);
  }

  static String currentStep() {
    return step;
  }

  static Failure failure(String what, Object expected, Object actual) {
    return new Failure(
        "step '" + step + "': " + what + ": expected " + show(expected) + ", actual "
            + show(actual));
  }

  static void equal(String what, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      throw failure(what, expected, actual);
    }
  }

  static void equalDouble(String what, double expected, double actual) {
    if (Double.compare(expected, actual) != 0) {
      throw failure(what, expected, actual);
    }
  }

  static void isTrue(String what, boolean condition) {
    if (!condition) {
      throw failure(what, true, false);
    }
  }

  /** The same elements in any order (each list sorted before comparing). */
  static void sameElements(String what, Collection<String> expected, Collection<String> actual) {
    List<String> e = sorted(expected);
    List<String> a = actual == null ? null : sorted(actual);
    if (!e.equals(a)) {
      throw failure(what, e, a);
    }
  }

  static void contains(String what, Collection<String> actual, String element) {
    if (actual == null || !actual.contains(element)) {
      throw new Failure(
          "step '" + step + "': " + what + ": expected to contain " + show(element) + ", actual "
              + show(actual));
    }
  }

  static void lacks(String what, Collection<String> actual, String element) {
    if (actual != null && actual.contains(element)) {
      throw new Failure(
          "step '" + step + "': " + what + ": expected not to contain " + show(element)
              + ", actual " + show(actual));
    }
  }

  /** {@code call} must throw {@code type}; returns the exception for further checks. */
  static <T extends Throwable> T raises(String what, Class<T> type, Call call) {
    try {
      call.run();
    } catch (Throwable t) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      throw new Failure(
          "step '" + step + "': " + what + ": expected " + type.getSimpleName() + ", actual "
              + t.getClass().getName() + ": " + t.getMessage());
    }
    throw new Failure(
        "step '" + step + "': " + what + ": expected " + type.getSimpleName()
            + ", actual: the call succeeded");
  }

  /** A sorted copy; duplicates stay, so that a repeated element is a difference too. */
  static List<String> sorted(Collection<String> values) {
    List<String> out = new ArrayList<>(values);
    out.sort(null);
    return out;
  }

  static String show(Object value) {
    if (value instanceof String) {
      return "\"" + value + "\"";
    }
    return String.valueOf(value);
  }
}
