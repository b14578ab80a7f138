import { describe, expect, it } from "vitest";
import { faultsFrom, InjectedFault, parseFaultSpec } from "../../lib/faults.js";

describe("fault seam", () => {
  it("does nothing when fault injection is disabled, whatever the batch asks", () => {
    const faults = faultsFrom(undefined, () => 0);
    expect(() =>
      faults.inject("consume.after-write", { payrail_test_faults: "consume.after-write" }),
    ).not.toThrow();
  });

  it("fires a point with its configured probability", () => {
    expect(() => faultsFrom("consume.after-write=0.3", () => 0.29).inject("consume.after-write")).toThrow(
      InjectedFault,
    );
    expect(() =>
      faultsFrom("consume.after-write=0.3", () => 0.3).inject("consume.after-write"),
    ).not.toThrow();
    expect(() => faultsFrom("consume.after-write=0.3", () => 0).inject("consume.before-write")).not.toThrow();
  });

  it("always fires the points a batch names in its metadata when enabled", () => {
    const faults = faultsFrom("", () => 1);
    expect(() =>
      faults.inject("consume.before-write", { payrail_test_faults: "consume.before-write" }),
    ).toThrow(InjectedFault);
    expect(() =>
      faults.inject("consume.after-write", { payrail_test_faults: "consume.before-write" }),
    ).not.toThrow();
  });

  it("refuses unknown points and probabilities outside [0, 1]", () => {
    expect(() => parseFaultSpec("consume.sometimes=0.1")).toThrow(/unknown fault point/);
    expect(() => parseFaultSpec("consume.after-write=2")).toThrow(/probability/);
    expect([...parseFaultSpec("consume.after-write=0.3, consume.before-write=0.1")]).toEqual([
      ["consume.after-write", 0.3],
      ["consume.before-write", 0.1],
    ]);
  });
});
