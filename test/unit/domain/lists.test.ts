import { describe, expect, it } from "vitest";
import { idTimeBound, newId } from "../../../lib/domain/ids.js";
import { idRange } from "../../../lib/domain/lists.js";

const within = (id: string, range: { from?: string; to?: string }) =>
  (range.from === undefined || id >= range.from) && (range.to === undefined || id <= range.to);

describe("idRange", () => {
  const t = 1_796_115_600; // seconds
  const atStart = newId("payment", t * 1000);
  const atEnd = newId("payment", t * 1000 + 999);
  const before = newId("payment", t * 1000 - 1);
  const after = newId("payment", (t + 1) * 1000);

  it("turns created[gte]/[lte] into inclusive id bounds of whole seconds", () => {
    const range = idRange("payment", { createdGte: t, createdLte: t });
    expect([before, atStart, atEnd, after].map((id) => within(id, range))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(range.order).toBe("newest_first");
  });

  it("excludes the cursors themselves and keeps ids on either side", () => {
    const range = idRange("payment", { startingAfter: atEnd });
    expect([atStart, atEnd, after].map((id) => within(id, range))).toEqual([true, false, false]);
    const back = idRange("payment", { endingBefore: atStart });
    expect([before, atStart, atEnd].map((id) => within(id, back))).toEqual([false, false, true]);
    expect(back.order).toBe("oldest_first");
  });

  it("is empty when the bounds cross", () => {
    expect(idRange("payment", { createdGte: t + 1, createdLte: t }).empty).toBe(true);
    expect(idRange("payment", { createdGte: t, startingAfter: before }).empty).toBe(true);
  });

  it("bounds on the kind's own prefix", () => {
    expect(idTimeBound("batch", 0)).toBe("bat_0000000000");
  });
});
