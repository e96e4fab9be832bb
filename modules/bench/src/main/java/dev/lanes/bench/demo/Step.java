package dev.lanes.bench.demo;

/** One stop of the tour: runs, prints its progress and adds its rows to {@link Tour#results()}. */
public interface Step {
  /** A short name for the summary when the step could not finish. */
  String name();

  void run(Tour tour) throws Exception;
}
