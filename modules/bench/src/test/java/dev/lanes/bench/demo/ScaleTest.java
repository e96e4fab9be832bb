package dev.lanes.bench.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.core.model.TimingModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScaleTest {
  @Test
  void theDefaultModelIsFactorOne() {
    Scale s = Scale.of(TimingModel.defaults());
    assertTrue(s.uniform());
    assertEquals(1.0, s.factor(), 1e-12);
    assertEquals("", Fmt.fullShort(s, 3.0));
  }

  // config/demo.conf's sim_demo, as GET /backends/sim_demo/configuration answers it
  @Test
  void readsTheDemoBackendsConfigurationAsTenTimesFaster() throws Exception {
    String json = "{\"backend_name\":\"sim_demo\",\"lanes\":5,\"timing\":{\"prep_per_circuit_seconds\":0.002,"
        + "\"post_per_circuit_seconds\":5.0E-4,\"job_overhead_seconds\":0.2,\"job_overhead_per_qubit_layer_seconds\":4.0E-5,"
        + "\"shot_time_seconds\":2.5E-5,\"layer_time_seconds\":0.0}}";
    Scale s = Scale.of(new ObjectMapper().readTree(json));
    assertTrue(s.uniform());
    assertEquals(10.0, s.factor(), 1e-9);
    assertEquals(87.92, s.full(8.792), 1e-9);
    assertEquals(" [87.92]", Fmt.fullShort(s, 8.792));
    assertTrue(s.describe().contains("sped up 10 times"), s.describe());
  }

  @Test
  void twentyTimesFasterWithNanosecondShots() {
    TimingModel d = TimingModel.defaults();
    TimingModel m = new TimingModel(d.prepPerCircuit().dividedBy(20), d.postPerCircuit().dividedBy(20),
        d.jobOverhead().dividedBy(20), d.jobOverheadPerQubitLayer().dividedBy(20), Duration.ofNanos(12_500), Duration.ZERO);
    assertEquals(20.0, Scale.of(m).factor(), 1e-9);
  }

  @Test
  void aModelThatIsNotAUniformScalingHasNoFullScaleFigures() {
    TimingModel d = TimingModel.defaults();
    TimingModel m = new TimingModel(d.prepPerCircuit().dividedBy(10), d.postPerCircuit().dividedBy(10),
        d.jobOverhead(), d.jobOverheadPerQubitLayer().dividedBy(10), d.shotTime().dividedBy(10), Duration.ZERO);
    Scale s = Scale.of(m);
    assertFalse(s.uniform());
    assertTrue(Double.isNaN(s.full(1)));
    assertEquals("", Fmt.fullShort(s, 1));
    TimingModel layered = new TimingModel(d.prepPerCircuit(), d.postPerCircuit(), d.jobOverhead(),
        d.jobOverheadPerQubitLayer(), d.shotTime(), Duration.ofNanos(1));
    assertFalse(Scale.of(layered).uniform());
  }
}
