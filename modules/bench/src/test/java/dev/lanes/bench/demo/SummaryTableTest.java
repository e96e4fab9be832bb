package dev.lanes.bench.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
  @Test
  void columnsFitTheirWidestCellAndOutcomesSayOkOrFail() {
    String t = SummaryTable.render(List.of(
        new StepResult("1a", "one job", "4.50 s", "4.396 quantum s", "Completed", true),
        new StepResult("4", "cancel a session", "0.90 s", "0.90 s wall-clock", "no queued job was cancelled", false)));
    assertEquals(String.join("\n",
        "step  what              time    cost               outcome",
        "----  ----------------  ------  -----------------  --------------------------------",
        "1a    one job           4.50 s  4.396 quantum s    OK   Completed",
        "4     cancel a session  0.90 s  0.90 s wall-clock  FAIL no queued job was cancelled",
        ""), t);
  }

  @Test
  void emptyCellsKeepTheColumns() {
    String t = SummaryTable.render(List.of(new StepResult("-", "usage", "", "+1.000 s", "= the sum", true)));
    assertEquals("-     usage        +1.000 s  OK   = the sum", t.split("\n")[2]);
  }
}
